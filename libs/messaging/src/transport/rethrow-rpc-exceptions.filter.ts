import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Nest's default RPC filter turns every error into `{status: 'error', message: 'Internal server
 * error'}`. The Skald consumer needs the original error (its code decides retry or dead-letter,
 * its message becomes the dead-letter reason), so this filter passes it through untouched.
 */
@Catch()
export class RethrowRpcExceptionsFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
