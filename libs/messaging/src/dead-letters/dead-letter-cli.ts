import { AmqpConnection } from '../connection/amqp-connection.js';
import { DeadLetterQueue } from './dead-letter-queue.js';

const USAGE = `usage: dlq list <service> [--limit N]
       dlq replay <service> (--all | --id <messageId> [--id <messageId> …])
environment: RABBITMQ_URL (default amqp://guest:guest@127.0.0.1:5672)`;

/** The operator's dead-letter command (`npm run dlq -- list orders`). Returns the exit code. */
export async function runDeadLetterCli(argv: string[], out = (line: string) => process.stdout.write(`${line}\n`)): Promise<number> {
  const [command, service, ...rest] = argv;
  if (!service || !['list', 'replay'].includes(command)) {
    out(USAGE);
    return 64;
  }
  const ids: string[] = [];
  let limit = 50;
  let all = false;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--id' && rest[i + 1]) ids.push(rest[++i]);
    else if (rest[i] === '--limit' && rest[i + 1]) limit = Number(rest[++i]);
    else if (rest[i] === '--all') all = true;
    else {
      out(USAGE);
      return 64;
    }
  }
  if (command === 'replay' && !all && ids.length === 0) {
    out(USAGE);
    return 64;
  }
  const connection = new AmqpConnection({
    url: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    name: `skald-dlq-cli-${service}`,
    service,
  });
  try {
    await connection.waitForConnect(10_000);
    const queue = new DeadLetterQueue(connection, service);
    if (command === 'list') {
      const letters = await queue.list(limit);
      for (const letter of letters) out(JSON.stringify(letter));
      out(`${letters.length} dead letter(s) shown for ${service}`);
    } else {
      const replayed = await queue.replay(all ? undefined : ids);
      out(`${replayed.length} message(s) replayed into ${service}: ${replayed.join(', ')}`);
    }
    return 0;
  } finally {
    await connection.close();
  }
}
