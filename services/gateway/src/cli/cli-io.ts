/** Where the CLI reads its environment and writes (the process's, or a test's). */
export interface CliIo {
  env: Record<string, string | undefined>;
  out(line: string): void;
  err(line: string): void;
  /** Whether `out` is a terminal (colours for the on-call commands, unless NO_COLOR is set). */
  isTTY?: boolean;
}

/** sysexits: a wrong command line. */
export const EXIT_USAGE = 64;
/** sysexits: a wrong configuration. */
export const EXIT_CONFIG = 78;

/** A wrong command line, explained to the user (exit 64). */
export class UsageError extends Error {}

export const USAGE = `Usage: skald <command>

  platform create <name> [--price-tolerance <pct>] [--review-threshold <amount>]
                         [--shortage-policy reject|backorder|partial] [--backorder-days <n>]
                         [--partial-remainder backorder|cancel] [--max-backorder-days <n>] [--rate-limit <n>]
      Registers a platform (tenant) and prints its API key, once, on the last line.
      --price-tolerance    percent a unit price may be below list price (0–100, default 0)
      --review-threshold   orders above this amount wait for a reviewer (default 10000)
      --shortage-policy    what its orders do when stock is short, unless an order says (default reject)
      --backorder-days     how long a backorder waits for stock (1–365, default 14)
      --partial-remainder  partial: backorder or cancel what is not available (default backorder)
      --max-backorder-days how far ahead an order's own backorder deadline may be
                           (1–365, at least --backorder-days; default 90)
      --rate-limit         requests per second each of its keys may make, burst twice that
                           (1–1000000; default: the gateway's RATE_LIMIT_PER_SECOND and RATE_LIMIT_BURST)

  platform set-rate-limit <platform id> <n>|default
      Gives a platform its own rate limit (n requests per second, burst 2n), or the default again.
      Running gateways apply it within a second.

  staff-key create --roles <role,role,…>
      Creates a staff API key and prints it, once, on the last line.
      Roles: reviewer, warehouse, inventory, ops, admin.

  key revoke <key id>
      Revokes an API key (platform or staff): every running gateway refuses it within a second.

  demo [--gateway-url <url>]
      Against the running suite (npm start): a demo platform and a staff key, a catalog of 20 SKUs,
      two warehouses with stock (one SKU short), and orders that end released, on hold,
      backordered, shipped and cancelled. Prints the keys and three curl commands to try.
      Each run makes a new demo. The gateway: --gateway-url, else GATEWAY_URL, else
      http://127.0.0.1:$GATEWAY_PORT (3000).

On-call, through the gateway's API (SKALD_URL, default http://localhost:3000; SKALD_API_KEY, a staff
key with role ops):

  dlq list [service] [--saga <orderId|rma>] [--limit <n>]
      Dead letters still dead in every service (or one), newest first, with reason, attempts and
      each queue's depth; --saga: that saga's, whatever became of them.
  dlq show <messageId> [--service <service>]
      One dead letter: why, the replays and discards so far, its headers and body.
  dlq replay <messageId> [--service <service>]
  dlq replay --all-for <orderId|rma>
      Puts the message (or every dead letter of the saga, in every service) back into its
      service's queue with its original id and headers; each once per run. Recorded with your key.
  dlq discard <messageId> --reason "…" [--service <service>]
      Drops a dead letter; the reason (1–500 characters) is recorded with your key.
      --service names the service when an event is dead in several.

  trace <orderId|returnId|rma>
      A saga's timeline from every service, aligned: time (UTC), time since the previous step,
      service, kind, summary, trace id; failures in red (colours only on a terminal, never with
      NO_COLOR); services that could not be asked as GAP lines; last, what it waits for and until when.

  sagas stuck|compensating|failed [--since <date-time>] [--limit <n>] [--cursor <c>]
      Sagas past their deadline or marked stuck, compensating, or with dead letters; newest first.

The other commands work on the gateway's database, migrating it first if needed: DATABASE_URL when
set, else the one \`npm start\` uses (GATEWAY_DATABASE_URL, else skald_gateway on SKALD_POSTGRES_URL's
server, by default postgres://postgres@127.0.0.1:5432).`;
