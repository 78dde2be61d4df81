import { UsageError } from '../cli-io.js';

/** A problem+json answer of the gateway, or a failure to reach it, as the on-call commands report it. */
export class GatewayApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/**
 * The public API as the on-call commands use it: the gateway at `SKALD_URL` (default
 * http://localhost:3000) with the staff key in `SKALD_API_KEY` (role ops). The key is sent as a
 * bearer token and never printed.
 */
export class GatewayApi {
  private constructor(
    readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly timeoutMs: number,
  ) {}

  /** @throws UsageError when SKALD_API_KEY is missing or SKALD_URL is not an http(s) URL. */
  static fromEnv(env: Record<string, string | undefined>, timeoutMs = 30_000): GatewayApi {
    const url = env.SKALD_URL || 'http://localhost:3000';
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new UsageError(`SKALD_URL "${url}" is not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`SKALD_URL "${url}" is not an http(s) URL`);
    const key = env.SKALD_API_KEY;
    if (!key) throw new UsageError('SKALD_API_KEY is not set: give a staff key with role ops (skald staff-key create --roles ops)');
    return new GatewayApi(url.replace(/\/+$/, ''), key, timeoutMs);
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    return this.call<T>('POST', path, body, idempotencyKey);
  }

  private async call<T>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new GatewayApiError(`cannot reach the gateway at ${this.baseUrl} (${cause})`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      throw new GatewayApiError(`the gateway answered ${res.status} with a body that is not JSON`, res.status);
    }
    if (!res.ok) {
      const problem = (json ?? {}) as { code?: string; detail?: string; title?: string };
      throw new GatewayApiError(`${res.status} ${problem.code ?? ''} ${problem.detail ?? problem.title ?? ''}`.replace(/\s+/g, ' ').trim(), res.status, problem.code);
    }
    return json as T;
  }
}
