import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line and every message sent while handling a request or message carries. */
export interface ExecutionContext {
  correlationId: string;
  messageId?: string;
  causationId?: string | null;
  tenantId?: string | null;
  routingKey?: string;
  requestId?: string;
}

const storage = new AsyncLocalStorage<ExecutionContext>();

/** Runs `fn` with `context` as the current execution context (HTTP request or message). */
export function runInExecutionContext<T>(context: ExecutionContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The execution context of the request or message being handled, if any. */
export function currentExecutionContext(): ExecutionContext | undefined {
  return storage.getStore();
}
