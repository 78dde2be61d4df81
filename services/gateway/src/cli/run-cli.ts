import { EXIT_USAGE, USAGE, UsageError, type CliIo } from './cli-io.js';
import { GatewayApi, GatewayApiError } from './on-call/gateway-api.js';
import { ON_CALL_COMMANDS, type OnCallCommand } from './on-call/index.js';

/**
 * The `skald` command line (`npm run skald -- …`): registers platforms and creates staff keys
 * against the gateway's database. A new key is printed once, as the last line of the output.
 * @returns the exit code (0; 64 wrong command line; 78 bad configuration; 1 failure).
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') {
    if (argv.length > 0) {
      io.out(USAGE);
      return 0;
    }
    io.err(USAGE);
    return EXIT_USAGE;
  }
  const onCall = ON_CALL_COMMANDS[argv[0]];
  if (onCall) return runOnCall(onCall, argv.slice(1), io);
  const { runDatabaseCli } = await import('./database-cli.js');
  return runDatabaseCli(argv, io);
}

/** An on-call command against the gateway's API: no database of its own. */
async function runOnCall(command: OnCallCommand, args: string[], io: CliIo): Promise<number> {
  try {
    return await command(args, GatewayApi.fromEnv(io.env), io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true) {
      io.err(`skald: ${(error as Error).message}`);
      return EXIT_USAGE;
    }
    if (error instanceof GatewayApiError) {
      io.err(`skald: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
