// The old broker-level dead-letter tool. Dead letters are now recorded by each service and acted on
// through the gateway, so that a replay or discard says who did it and why, and a replay run never
// replays a message twice: this script only points to the command that does that.
process.stderr.write(`npm run dlq is replaced by the on-call command, through the gateway (SKALD_URL, SKALD_API_KEY):
  npm run skald -- dlq list [service]
  npm run skald -- dlq show <messageId>
  npm run skald -- dlq replay <messageId> | --all-for <orderId|rma>
  npm run skald -- dlq discard <messageId> --reason "…"
`);
process.exitCode = 64;
