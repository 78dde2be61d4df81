import { Injectable, type NestMiddleware } from '@nestjs/common';
import { runInExecutionContext } from '@skald/messaging';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CORRELATION_HEADER, correlationIdOf } from '../logging/logging.js';

/**
 * Runs the rest of the request inside an execution context, so logs and any message the
 * request writes to the outbox carry its correlation id.
 */
@Injectable()
export class ExecutionContextMiddleware implements NestMiddleware {
  use(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const correlationId = correlationIdOf(req);
    if (!res.headersSent) res.setHeader(CORRELATION_HEADER, correlationId);
    runInExecutionContext({ correlationId, requestId: correlationId }, next);
  }
}
