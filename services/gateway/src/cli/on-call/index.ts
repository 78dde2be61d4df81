import type { CliIo } from '../cli-io.js';
import { dlq } from './dlq.js';
import type { GatewayApi } from './gateway-api.js';
import { sagas } from './sagas.js';
import { trace } from './trace.js';

/**
 * A command of the on-call engineer (`skald trace …`, `skald dlq …`, `skald sagas …`): it talks to
 * the gateway's public API (SKALD_URL, SKALD_API_KEY), not to a database.
 * @returns the exit code (0 done; 1 failed; 64 wrong command line).
 */
export type OnCallCommand = (args: string[], api: GatewayApi, io: CliIo) => Promise<number>;

/** The on-call commands by their first word. */
export const ON_CALL_COMMANDS: Record<string, OnCallCommand> = {
  trace,
  sagas,
  dlq,
};
