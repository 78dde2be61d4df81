import { parseArgs } from 'node:util';
import { redactUrl } from '@skald/persistence';
import { ConfigError } from '@skald/service-kit';
import { EXIT_CONFIG, EXIT_USAGE, USAGE, UsageError, type CliIo } from './cli-io.js';
import { keyRevoke, platformCreate, platformSetRateLimit, staffKeyCreate, type Command } from './commands.js';
import { demo } from './demo/demo.js';
import { loadCliConfig, openGatewayDatabase } from './gateway-database.js';

/** The running suite's gateway: --gateway-url, else GATEWAY_URL, else the port `npm start` gives it. */
function gatewayUrl(option: string | undefined, env: Record<string, string | undefined>): string {
  const url = option ?? env.GATEWAY_URL ?? `http://127.0.0.1:${env.GATEWAY_PORT || 3000}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`the gateway URL "${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`the gateway URL "${url}" is not an http(s) URL`);
  return url.replace(/\/+$/, '');
}

function parse(argv: string[], env: Record<string, string | undefined>): Command {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      'price-tolerance': { type: 'string' },
      'review-threshold': { type: 'string' },
      'shortage-policy': { type: 'string' },
      'backorder-days': { type: 'string' },
      'partial-remainder': { type: 'string' },
      'rate-limit': { type: 'string' },
      'max-backorder-days': { type: 'string' },
      roles: { type: 'string' },
      'gateway-url': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [noun, verb, ...rest] = positionals;
  const only = (allowed: string[]) => {
    const given = Object.keys(values).filter((option) => !allowed.includes(option));
    if (given.length > 0) throw new UsageError(`${[noun, verb].filter(Boolean).join(' ')} does not take --${given.join(', --')}`);
  };
  if (noun === 'platform' && verb === 'create') {
    only(['price-tolerance', 'review-threshold', 'shortage-policy', 'backorder-days', 'partial-remainder', 'max-backorder-days', 'rate-limit']);
    if (rest.length !== 1) throw new UsageError('platform create needs exactly one <name> (quote a name with spaces)');
    return platformCreate(rest[0], {
      priceTolerance: values['price-tolerance'],
      reviewThreshold: values['review-threshold'],
      shortagePolicy: values['shortage-policy'],
      backorderDays: values['backorder-days'],
      partialRemainder: values['partial-remainder'],
      rateLimit: values['rate-limit'],
      maxBackorderDays: values['max-backorder-days'],
    });
  }
  if (noun === 'platform' && verb === 'set-rate-limit') {
    only([]);
    if (rest.length !== 2) throw new UsageError('platform set-rate-limit needs <platform id> and <requests per second> (or "default")');
    return platformSetRateLimit(rest[0], rest[1]);
  }
  if (noun === 'staff-key' && verb === 'create') {
    only(['roles']);
    if (rest.length > 0) throw new UsageError(`staff-key create takes no arguments (got ${rest.join(' ')})`);
    return staffKeyCreate(values.roles);
  }
  if (noun === 'demo') {
    only(['gateway-url']);
    if (verb !== undefined) throw new UsageError(`demo takes no arguments (got ${[verb, ...rest].join(' ')})`);
    return demo(gatewayUrl(values['gateway-url'], env));
  }
  if (noun === 'key' && verb === 'revoke') {
    only([]);
    if (rest.length !== 1) throw new UsageError('key revoke needs exactly one <key id>');
    return keyRevoke(rest[0]);
  }
  throw new UsageError(noun ? `unknown command: ${[noun, verb].filter(Boolean).join(' ')}` : 'no command given');
}

/**
 * The commands that work on the gateway's database (platforms, keys) and `demo`. Loaded only for
 * them: TypeORM and Nest take a second or two to load, which the on-call commands do without.
 * @returns the exit code (0; 64 wrong command line; 78 bad configuration; 1 failure).
 */
export async function runDatabaseCli(argv: string[], io: CliIo): Promise<number> {
  let command: Command;
  try {
    command = parse(argv, io.env);
  } catch (error) {
    if (!(error instanceof UsageError) && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') !== true) throw error;
    io.err(`skald: ${(error as Error).message}`);
    io.err('');
    io.err(USAGE);
    return EXIT_USAGE;
  }
  let config;
  try {
    config = loadCliConfig(io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(error.message);
    return EXIT_CONFIG;
  }
  let db;
  try {
    db = await openGatewayDatabase(config);
  } catch (error) {
    io.err(`skald: cannot open the gateway database ${redactUrl(config.DATABASE_URL)}: ${(error as Error).message}`);
    return 1;
  }
  try {
    return await command.run(db, io);
  } catch (error) {
    io.err(`skald: ${(error as Error).message}`);
    return 1;
  } finally {
    await db.close();
  }
}
