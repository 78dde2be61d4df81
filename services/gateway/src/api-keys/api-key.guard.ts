import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SkaldError } from '@skald/contracts';
import { currentExecutionContext } from '@skald/messaging';
import type { Caller } from '@skald/service-kit';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { setRateLimitHeaders } from '../rate-limits/rate-limit-headers.js';
import { RateLimitService, type RateLimitDecision } from '../rate-limits/rate-limit.service.js';
import { sourceAddress } from '../rate-limits/source-address.js';
import { allows, type AccessRule } from './access-rule.js';
import { ApiKeyService } from './api-key.service.js';

export const ACCESS_RULE = Symbol('gateway:access-rule');

export type AuthenticatedRequest = Request & { caller?: Caller };

function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
  return match?.[1];
}

const TOO_MANY_FAILURES = 'Too many failed authentications from this address.';

function rateLimited(res: Response, decision: RateLimitDecision, message: string): SkaldError {
  setRateLimitHeaders(res, decision);
  return new SkaldError('RATE_LIMITED', `${message} Retry after ${decision.resetSeconds} s.`, { retryable: true });
}

/**
 * Authenticates the `Authorization: Bearer` API key, counts the request against the key's rate
 * limit and checks the key against the route's access rule. The authenticated caller is what the
 * gateway passes to the owning services; nothing the client sends in caller headers is ever
 * trusted or forwarded. A source address that fails authentication too often is refused for a
 * while, even with a good key (brute-force protection, ADR 13).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyService,
    private readonly rateLimits: RateLimitService,
    private readonly dataSource: DataSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const address = sourceAddress(req);
    const presented = bearerToken(req.headers.authorization);
    // A cached key is authenticated from memory; the block check then comes with the key's count.
    const authenticated = presented ? await this.keys.authenticate(this.dataSource.manager, presented) : undefined;
    if (!authenticated) {
      const blocked = await this.rateLimits.addressBlock(address);
      if (blocked) throw rateLimited(res, blocked, TOO_MANY_FAILURES);
      const nowBlocked = await this.rateLimits.recordAuthFailure(address);
      if (nowBlocked) throw rateLimited(res, nowBlocked, TOO_MANY_FAILURES);
      res.setHeader('WWW-Authenticate', 'Bearer realm="skald"');
      throw new SkaldError(
        'UNAUTHENTICATED',
        presented ? 'The API key is not valid.' : 'An API key is required: Authorization: Bearer sk_…',
        { retryable: false },
      );
    }
    const { caller } = authenticated;
    const limit = this.rateLimits.limitFor(authenticated.rateLimitPerSecond);
    const admission = await this.rateLimits.admitKey(caller.principalId, limit, address);
    if ('addressBlocked' in admission) throw rateLimited(res, admission.addressBlocked, TOO_MANY_FAILURES);
    const decision = admission.key;
    if (decision) {
      if (!decision.allowed) throw rateLimited(res, decision, 'This API key has sent too many requests.');
      setRateLimitHeaders(res, decision);
    }
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    if (!rule || !allows(rule, caller)) {
      throw new SkaldError('FORBIDDEN', 'This key may not use this operation.', { retryable: false });
    }
    req.caller = caller;
    const execution = currentExecutionContext();
    if (execution) execution.tenantId = caller.tenantId;
    return true;
  }
}
