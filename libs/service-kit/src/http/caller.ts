import {
  createParamDecorator,
  ForbiddenException,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
  Injectable,
  SetMetadata,
  applyDecorators,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader, ApiSecurity } from '@nestjs/swagger';
import type { IncomingMessage } from 'node:http';
import { INTERNAL_TOKEN_HEADER } from './internal-token.js';

/** Staff roles (a staff API key carries some of them). */
export const STAFF_ROLES = ['reviewer', 'warehouse', 'inventory', 'ops', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * Who is calling a service's internal API. The gateway authenticates the API key and passes the
 * result in these headers; a service reads them only once the request has shown the shared
 * INTERNAL_API_TOKEN (see `internalTokenMiddleware`), so nobody else can claim to be a caller.
 */
export const CALLER_HEADERS = {
  kind: 'x-skald-caller',
  principal: 'x-skald-principal',
  tenant: 'x-skald-tenant-id',
  roles: 'x-skald-roles',
  token: INTERNAL_TOKEN_HEADER,
  /** The caller's Idempotency-Key scoped by the gateway (see IdempotentRequests); only the gateway sets it. */
  idempotencyKey: 'x-skald-idempotency-key',
} as const;

/** The OpenAPI security scheme of internal routes: callers come through the gateway. */
export const INTERNAL_SECURITY_SCHEME = 'gateway';

export interface Caller {
  kind: 'platform' | 'staff';
  /** The API key's id. */
  principalId: string;
  /** The platform a platform key belongs to; null for staff. */
  tenantId: string | null;
  roles: StaffRole[];
}

/** Header values the gateway sends for a caller, with the internal token it must always send. */
export function callerHeaders(caller: Caller, internalToken?: string): Record<string, string> {
  const headers: Record<string, string> = {
    [CALLER_HEADERS.kind]: caller.kind,
    [CALLER_HEADERS.principal]: caller.principalId,
  };
  if (caller.tenantId) headers[CALLER_HEADERS.tenant] = caller.tenantId;
  if (caller.roles.length > 0) headers[CALLER_HEADERS.roles] = caller.roles.join(',');
  if (internalToken) headers[CALLER_HEADERS.token] = internalToken;
  return headers;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Reads the caller from the request; undefined when the headers are missing or malformed. */
export function callerOf(req: IncomingMessage): Caller | undefined {
  const kind = header(req, CALLER_HEADERS.kind);
  const principalId = header(req, CALLER_HEADERS.principal);
  if ((kind !== 'platform' && kind !== 'staff') || !principalId) return undefined;
  const tenantId = header(req, CALLER_HEADERS.tenant) ?? null;
  if (kind === 'platform' && !tenantId) return undefined;
  const roles = (header(req, CALLER_HEADERS.roles) ?? '')
    .split(',')
    .map((role) => role.trim())
    .filter((role): role is StaffRole => (STAFF_ROLES as readonly string[]).includes(role));
  return { kind, principalId, tenantId, roles: kind === 'staff' ? roles : [] };
}

const ACCESS = Symbol('skald:access');

interface AccessRule {
  platforms: boolean;
  roles: StaffRole[];
}

/**
 * Checks the caller of an internal route: who may call it (platform keys and/or staff with one of
 * the roles; `admin` passes every staff check). That the request came from the gateway was
 * checked before any route, for every request (`internalTokenMiddleware`).
 */
@Injectable()
export class CallerGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<IncomingMessage & { caller?: Caller }>();
    const caller = callerOf(req);
    if (!caller) throw new UnauthorizedException({ code: 'UNAUTHENTICATED', detail: 'No authenticated caller.' });
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS, [context.getHandler(), context.getClass()]);
    if (rule) {
      const allowed =
        (caller.kind === 'platform' && rule.platforms) ||
        (caller.kind === 'staff' && (caller.roles.includes('admin') || caller.roles.some((role) => rule.roles.includes(role))));
      if (!allowed) {
        throw new ForbiddenException({ code: 'FORBIDDEN', detail: 'This key may not use this operation.' });
      }
    }
    req.caller = caller;
    return true;
  }
}

/**
 * Declares who may call a route: `@Access({ platforms: true, roles: ['ops'] })`.
 * Without it, any authenticated caller may.
 */
export function Access(rule: { platforms?: boolean; roles?: StaffRole[] }) {
  return applyDecorators(
    SetMetadata(ACCESS, { platforms: rule.platforms ?? false, roles: rule.roles ?? [] } satisfies AccessRule),
    UseGuards(CallerGuard),
    ApiSecurity(INTERNAL_SECURITY_SCHEME),
    ApiHeader({ name: CALLER_HEADERS.kind, required: true, description: 'platform | staff (set by the gateway)' }),
  );
}

/** The authenticated caller of the current request (routes guarded by `@Access`). */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const req = context.switchToHttp().getRequest<IncomingMessage & { caller?: Caller }>();
  const caller = req.caller ?? callerOf(req);
  if (!caller) throw new UnauthorizedException({ code: 'UNAUTHENTICATED', detail: 'No authenticated caller.' });
  return caller;
});

/** The tenant of a platform caller (routes that only platforms may call). */
export function tenantOf(caller: Caller): string {
  if (!caller.tenantId) throw new ForbiddenException({ code: 'FORBIDDEN', detail: 'Only a platform key may do this.' });
  return caller.tenantId;
}
