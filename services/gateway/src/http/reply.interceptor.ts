import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';
import { Reply } from './reply.js';

/**
 * Writes a handler's `Reply` (status, headers, JSON text as it is); other results pass through to
 * Nest's own serialisation.
 */
@Injectable()
export class ReplyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((result: unknown) => {
        if (!(result instanceof Reply)) return result;
        const res = context.switchToHttp().getResponse<Response>();
        res.status(result.status);
        for (const [name, value] of Object.entries(result.headers)) res.setHeader(name, value);
        if (result.body !== undefined && !res.hasHeader('content-type')) res.setHeader('content-type', 'application/json; charset=utf-8');
        return result.body;
      }),
    );
  }
}
