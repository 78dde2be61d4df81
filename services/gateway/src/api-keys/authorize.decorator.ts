import { applyDecorators, createParamDecorator, SetMetadata, UseGuards, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { SkaldError } from '@skald/contracts';
import type { Caller, StaffRole } from '@skald/service-kit';
import { ProblemDto } from '@skald/service-kit';
import { describeRule, type AccessRule } from './access-rule.js';
import { ACCESS_RULE, ApiKeyGuard, type AuthenticatedRequest } from './api-key.guard.js';

/** The name of the API's security scheme (HTTP bearer: the API key). */
export const BEARER_SCHEME = 'bearer';

const whole = (description: string) => ({ description, schema: { type: 'integer' as const, minimum: 0 } });

/** The rate limit headers of every authenticated answer (ADR 13). */
export const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': whole("Requests per second this key may make (the platform's own limit, or the default); bursts above it are allowed now and then."),
  'RateLimit-Remaining': whole('Requests left in the current second.'),
  'RateLimit-Reset': whole('Seconds until the current window starts afresh.'),
};

/**
 * Declares who may call a public route: `@Authorize({ platforms: true, roles: ['ops'] })`
 * (`admin` passes every staff rule). Every public route has one.
 */
export function Authorize(rule: { platforms?: boolean; roles?: StaffRole[] }) {
  const access: AccessRule = { platforms: rule.platforms ?? false, roles: rule.roles ?? [] };
  return applyDecorators(
    SetMetadata(ACCESS_RULE, access),
    UseGuards(ApiKeyGuard),
    ApiBearerAuth(BEARER_SCHEME),
    ApiUnauthorizedResponse({ description: 'No API key, or an unknown, malformed or revoked one (UNAUTHENTICATED).', type: ProblemDto }),
    ApiForbiddenResponse({ description: `This key may not use this operation (FORBIDDEN). Allowed: ${describeRule(access)}.`, type: ProblemDto }),
    ApiTooManyRequestsResponse({
      description:
        'RATE_LIMITED: this API key is over its rate limit, or this source address failed authentication too often ' +
        '(then refused for a while even with a good key). Retry after Retry-After seconds.',
      type: ProblemDto,
      headers: { 'Retry-After': { description: 'Whole seconds to wait, at least 1.', schema: { type: 'integer', minimum: 1 } }, ...RATE_LIMIT_HEADERS },
    }),
  );
}

/** The caller the API key authenticated (routes with `@Authorize`). */
export const AuthenticatedCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<AuthenticatedRequest>().caller;
  // Only the guard sets it: a route without @Authorize is a programming error, not a client's.
  if (!caller) throw new SkaldError('UNAUTHENTICATED', 'No authenticated caller.', { retryable: false });
  return caller;
});

/** The platform of a platform caller (routes that only platform keys may use). */
export function tenantOf(caller: Caller): string {
  if (caller.kind !== 'platform' || !caller.tenantId) {
    throw new SkaldError('FORBIDDEN', 'Only a platform key may use this operation.', { retryable: false });
  }
  return caller.tenantId;
}
