import { Inject, Injectable } from '@nestjs/common';
import { SkaldError } from '@skald/contracts';
import { addressesProblem, SERVICE_CONFIG, systemResolveAll, urlTargetProblem, type ResolveAll } from '@skald/service-kit';
import type { GatewayConfig } from '../config/gateway-config.js';

/** How long a subscription waits for DNS; a name not resolved by then is checked at send time. */
const RESOLVE_TIMEOUT_MS = 2_000;

/** Resolves names for the target check; replaced in tests that need a name of their own. */
export const WEBHOOK_RESOLVER = Symbol('WEBHOOK_RESOLVER');

/**
 * Which URLs a platform may subscribe: http or https, no credentials, a host that is public. A
 * name is resolved and refused when any of its addresses is not public; a name that does not
 * resolve (yet) is accepted, since notifications checks again on every send (docs/adr/0010).
 * WEBHOOK_ALLOW_PRIVATE_NETWORKS lifts the host rule for local development and tests.
 */
@Injectable()
export class WebhookTargetPolicy {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    @Inject(WEBHOOK_RESOLVER) private readonly resolveAll: ResolveAll,
  ) {}

  /** @throws SkaldError(WEBHOOK_URL_FORBIDDEN) when the URL may not receive webhooks. */
  async check(url: string): Promise<void> {
    const problem = await this.problemWith(url);
    if (problem) throw new SkaldError('WEBHOOK_URL_FORBIDDEN', `Webhooks are only sent to the public internet: ${problem}.`, { retryable: false });
  }

  private async problemWith(url: string): Promise<string | undefined> {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) return 'credentials in the URL are not allowed';
    if (this.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS) return undefined;
    const problem = urlTargetProblem(url);
    if (problem) return problem;
    const addresses = await this.resolve(parsed.hostname);
    return addresses ? addressesProblem(parsed.hostname, addresses) : undefined;
  }

  /** The name's addresses, or undefined when it does not resolve (in time). */
  private async resolve(hostname: string): Promise<Awaited<ReturnType<ResolveAll>> | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), RESOLVE_TIMEOUT_MS)));
    try {
      return await Promise.race([this.resolveAll(hostname).catch(() => undefined), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The system resolver, as the provider of WEBHOOK_RESOLVER. */
export const systemWebhookResolver = { provide: WEBHOOK_RESOLVER, useValue: systemResolveAll };
