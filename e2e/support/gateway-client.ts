import { randomUUID } from 'node:crypto';
import { runToExit } from './processes.js';
import { suite, type SuiteTarget } from './suite-state.mjs';

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** The public API as a platform or staff member sees it: one API key, JSON in and out. */
export class GatewayClient {
  /** @param gatewayUrl the shared suite's gateway unless a test runs a suite of its own */
  constructor(
    readonly key: string,
    readonly gatewayUrl: string = suite().urls.gateway,
  ) {}

  async call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const res = await fetch(`${this.gatewayUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  get<T = any>(path: string): Promise<Reply<T>> {
    return this.call<T>('GET', path);
  }

  /** POST with a fresh Idempotency-Key unless one is given. */
  post<T = any>(path: string, body?: unknown, idempotencyKey: string = randomUUID()): Promise<Reply<T>> {
    return this.call<T>('POST', path, body ?? {}, { 'idempotency-key': idempotencyKey });
  }

  put<T = any>(path: string, body: unknown): Promise<Reply<T>> {
    return this.call<T>('PUT', path, body);
  }

  /** Like `call`, but fails the test unless the status is the expected one. */
  async expect<T = any>(status: number, reply: Promise<Reply<T>>): Promise<T> {
    const answer = await reply;
    if (answer.status !== status) {
      throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    return answer.body;
  }
}

async function gatewayCli(args: string[], target: SuiteTarget): Promise<string[]> {
  const result = await runToExit('gateway', 'dist/cli.js', { DATABASE_URL: target.databases.gateway }, args);
  if (result.code !== 0) throw new Error(`skald ${args.join(' ')} failed (${result.code}): ${result.stdout}${result.stderr}`);
  return result.stdout.trim().split('\n');
}

/** `npm run skald -- platform create <name>`: the platform's tenant id and its key (the last line). */
export async function createPlatform(name: string, options: { priceTolerance?: number; reviewThreshold?: number } = {}, target: SuiteTarget = suite()) {
  const args = ['platform', 'create', name];
  if (options.priceTolerance !== undefined) args.push('--price-tolerance', String(options.priceTolerance));
  if (options.reviewThreshold !== undefined) args.push('--review-threshold', String(options.reviewThreshold));
  const lines = await gatewayCli(args, target);
  const tenantId = /tenant id\s+(\S+)/.exec(lines.join('\n'))?.[1];
  if (!tenantId) throw new Error(`no tenant id in: ${lines.join('\n')}`);
  return { tenantId, client: new GatewayClient(lines[lines.length - 1], target.urls.gateway) };
}

/** `npm run skald -- staff-key create --roles …`: a client with that key. */
export async function createStaffKey(roles: string[], target: SuiteTarget = suite()): Promise<GatewayClient> {
  const lines = await gatewayCli(['staff-key', 'create', '--roles', roles.join(',')], target);
  return new GatewayClient(lines[lines.length - 1], target.urls.gateway);
}
