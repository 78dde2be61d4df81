import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiConflictResponse, ApiHeader } from '@nestjs/swagger';
import { ProblemDto } from '@skald/service-kit';
import { IDEMPOTENCY_KEY_REQUIRED, IDEMPOTENCY_OMIT_FROM_REPLAY, type IdempotentOptions } from './idempotent-options.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';

/**
 * Honours an `Idempotency-Key` on the route (POST, PUT), optional unless `required`. A 422
 * IDEMPOTENCY_KEY_REUSED is documented with the route's other 422 answers (see each route's description).
 */
export function Idempotent(options: IdempotentOptions = {}) {
  const required = options.required ?? false;
  return applyDecorators(
    SetMetadata(IDEMPOTENCY_OMIT_FROM_REPLAY, options.omitFromReplay ?? []),
    SetMetadata(IDEMPOTENCY_KEY_REQUIRED, required),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required,
      description:
        (required ? 'Required here: without it the answer is 400 VALIDATION_FAILED and nothing is done. ' : '') +
        'Makes the request safe to retry (1–255 printable characters, unique per request; remembered 24 h per platform, or per staff key). ' +
        'The same key with the same request answers the first response again with `Idempotent-Replayed: true`; ' +
        'with another method, path or body it is refused (422 IDEMPOTENCY_KEY_REUSED). ' +
        'After 503 or 504 (the owning service may or may not have acted) retry with the same key: the service answers it once.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    }),
    ApiConflictResponse({ description: 'A request with this Idempotency-Key is still being processed (IDEMPOTENCY_KEY_IN_USE).', type: ProblemDto }),
  );
}
