// `npm run dlq -- list <service>` / `npm run dlq -- replay <service> --all | --id <messageId>`:
// the operator's view of a service's dead-letter queue. RABBITMQ_URL selects the broker.
import { runDeadLetterCli } from '@skald/messaging';

process.exitCode = await runDeadLetterCli(process.argv.slice(2));
