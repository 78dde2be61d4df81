import { isDatabaseUnavailable } from '@skald/persistence';

// amqplib's IllegalOperationError on a channel the broker or the network closed.
const CHANNEL_GONE = /^Channel (closed|ended)/;

/**
 * True when a handler failed because the service's infrastructure is unreachable (its database
 * refuses or dropped the connection, or its broker channel is gone) rather than because of the
 * message. Such a failure says nothing about the message: the consumer pauses instead of using up
 * one of the message's attempts. A statement timeout on a database that answers is not one of them
 * (see `databaseFailureOf`): the work may be at fault, and it counts as an attempt.
 */
export function isInfrastructureFailure(error: unknown): boolean {
  if (isDatabaseUnavailable(error)) return true;
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  return name === 'IllegalOperationError' && typeof message === 'string' && CHANNEL_GONE.test(message);
}
