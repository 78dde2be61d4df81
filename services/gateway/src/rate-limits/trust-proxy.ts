import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { SERVICE_CONFIG } from '@skald/service-kit';
import { isIP } from 'node:net';
import type { GatewayConfig } from '../config/gateway-config.js';

/** Express's names for address ranges (`loopback` is 127.0.0.1/8 and ::1/128). */
const PRESETS = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * What Express's `trust proxy` gets from TRUST_PROXY: a number of proxy hops, or the proxies'
 * addresses, subnets and presets. Never `true` (trust everyone): any client could then choose the
 * address its failed authentications are counted against.
 */
export function parseTrustProxy(value: string): number | string[] {
  return /^\d+$/.test(value.trim()) ? Number(value.trim()) : value.split(',').map((part) => part.trim());
}

function isAddressOrSubnet(entry: string): boolean {
  if (PRESETS.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/** Whether TRUST_PROXY is a hop count or a list of addresses, subnets (CIDR) and presets. */
export function isTrustProxy(value: unknown): boolean {
  if (typeof value !== 'string' || value.trim() === '') return false;
  const parsed = parseTrustProxy(value);
  return typeof parsed === 'number' || parsed.every(isAddressOrSubnet);
}

/**
 * Tells Express which proxies' X-Forwarded-For to believe (TRUST_PROXY), so that `req.ip` — the
 * address failed authentications are counted against — is the client's, not the proxy's. Unset:
 * the socket's peer, whatever a client writes in X-Forwarded-For.
 */
@Injectable()
export class TrustProxySetting implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  onModuleInit(): void {
    const instance = this.adapterHost.httpAdapter?.getInstance<{ set?: (name: string, value: unknown) => void }>();
    instance?.set?.('trust proxy', this.config.TRUST_PROXY === undefined ? false : parseTrustProxy(this.config.TRUST_PROXY));
  }
}
