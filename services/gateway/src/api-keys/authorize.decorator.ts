import { applyDecorators, createParamDecorator, SetMetadata, UseGuards, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { SkaldError } from '@skald/contracts';
import type { Caller, StaffRole } from '@skald/service-kit';
import { ProblemDto } from '@skald/service-kit';
import { describeRule, type AccessRule } from './access-rule.js';
import { ACCESS_RULE, ApiKeyGuard, type AuthenticatedRequest } from './api-key.guard.js';

/** The name of the API's security scheme (HTTP bearer: the API key). */
export const BEARER_SCHEME = 'bearer';

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
