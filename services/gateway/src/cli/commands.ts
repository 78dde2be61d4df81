import { parseStaffRoles } from '../api-keys/staff-roles.js';
import { platformSettingsProblems, rateLimitProblem, type PlatformSettings } from '../platforms/platform.service.js';
import type { StaffRole } from '@skald/service-kit';
import type { CliIo } from './cli-io.js';
import { UsageError } from './cli-io.js';
import type { GatewayDatabase } from './gateway-database.js';

/** A parsed, checked command: `run` needs only the database. */
export interface Command {
  run(db: GatewayDatabase, io: CliIo): Promise<number>;
}

export function platformCreate(
  name: string,
  options: {
    priceTolerance?: string;
    reviewThreshold?: string;
    shortagePolicy?: string;
    backorderDays?: string;
    partialRemainder?: string;
    maxBackorderDays?: string;
    rateLimit?: string;
  },
): Command {
  const settings: PlatformSettings = {
    name,
    priceTolerancePct: options.priceTolerance ?? '0',
    reviewAmountThreshold: options.reviewThreshold ?? '10000',
    shortageMode: options.shortagePolicy,
    backorderDays: options.backorderDays,
    partialRemainder: options.partialRemainder,
    rateLimitPerSecond: options.rateLimit,
    maxBackorderDays: options.maxBackorderDays,
  };
  const problems = platformSettingsProblems(settings);
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return {
    async run(db, io) {
      const { platform, key } = await db.dataSource.transaction((manager) => db.platforms.register(manager, settings));
      io.out('Platform registered.');
      io.out(`  tenant id         ${platform.id}`);
      io.out(`  name              ${platform.name}`);
      io.out(`  price tolerance   ${settings.priceTolerancePct}%`);
      io.out(`  review threshold  ${settings.reviewAmountThreshold}`);
      io.out(`  rate limit        ${describeRateLimit(platform.rateLimitPerSecond)}`);
      io.out(`  shortage policy   ${platform.shortageMode} (backorder ${platform.backorderDays} days, partial rest: ${platform.partialRemainder}; an order's own deadline at most ${platform.maxBackorderDays} days ahead)`);
      io.out(`  API key id        ${key.id}`);
      io.out('Its API key follows. It is shown only this once: store it now.');
      io.out(key.key);
      return 0;
    },
  };
}

function describeRateLimit(ratePerSecond: number | null): string {
  return ratePerSecond === null ? "the gateway's default (RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST)" : `${ratePerSecond} requests/s, burst ${2 * ratePerSecond}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `platform set-rate-limit <platform id> <n>|default`: a platform's own rate limit, or the default again. */
export function platformSetRateLimit(platformId: string, rate: string): Command {
  if (!UUID.test(platformId)) throw new UsageError(`"${platformId}" is not a platform id (the tenant id \`platform create\` printed)`);
  const ratePerSecond = rate === 'default' ? null : rate;
  const problem = ratePerSecond === null ? undefined : rateLimitProblem(ratePerSecond);
  if (problem) throw new UsageError(`${problem}, or "default"`);
  return {
    async run(db, io) {
      const updated = await db.platforms.setRateLimit(db.dataSource.manager, platformId, ratePerSecond);
      if (!updated) {
        io.err(`No platform ${platformId}.`);
        return 1;
      }
      io.out(`Platform ${platformId}: rate limit ${describeRateLimit(ratePerSecond === null ? null : Number(ratePerSecond))}.`);
      return 0;
    },
  };
}

export function staffKeyCreate(rolesList: string | undefined): Command {
  if (rolesList === undefined) throw new UsageError('staff-key create needs --roles <role,role,…>');
  let roles: StaffRole[];
  try {
    roles = parseStaffRoles(rolesList);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    async run(db, io) {
      const key = await db.dataSource.transaction((manager) => db.keys.issueStaffKey(manager, roles));
      io.out('Staff key created.');
      io.out(`  key id  ${key.id}`);
      io.out(`  roles   ${roles.join(', ')}`);
      io.out('The key follows. It is shown only this once: store it now.');
      io.out(key.key);
      return 0;
    },
  };
}

export function keyRevoke(id: string): Command {
  if (!/^[0-9a-f]{24}$/.test(id)) throw new UsageError(`"${id}" is not a key id (24 hexadecimal characters, the part after sk_)`);
  return {
    async run(db, io) {
      const revoked = await db.keys.revoke(db.dataSource.manager, id);
      if (!revoked) {
        io.err(`No active key ${id} (unknown, or already revoked).`);
        return 1;
      }
      io.out(`Key ${id} revoked.`);
      return 0;
    },
  };
}
