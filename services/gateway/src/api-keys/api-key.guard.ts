import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SkaldError } from '@skald/contracts';
import { currentExecutionContext } from '@skald/messaging';
import type { Caller } from '@skald/service-kit';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { allows, type AccessRule } from './access-rule.js';
import { ApiKeyService } from './api-key.service.js';

export const ACCESS_RULE = Symbol('gateway:access-rule');

export type AuthenticatedRequest = Request & { caller?: Caller };

function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
  return match?.[1];
}

/**
 * Authenticates the `Authorization: Bearer` API key and checks it against the route's access
 * rule. The authenticated caller is what the gateway passes to the owning services; nothing the
 * client sends in caller headers is ever trusted or forwarded.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyService,
    private readonly dataSource: DataSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const presented = bearerToken(req.headers.authorization);
    const caller = presented ? await this.keys.authenticate(this.dataSource.manager, presented) : undefined;
    if (!caller) {
      context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="skald"');
      throw new SkaldError(
        'UNAUTHENTICATED',
        presented ? 'The API key is not valid.' : 'An API key is required: Authorization: Bearer sk_…',
        { retryable: false },
      );
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
