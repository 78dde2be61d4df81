import { randomUUID } from 'node:crypto';

/** An answer of the gateway: status and JSON body. */
export interface Answer {
  status: number;
  body: any;
}

/** The public API through one API key, as a platform or a staff member would call it. */
export class DemoApi {
  constructor(
    readonly gatewayUrl: string,
    readonly key: string,
  ) {}

  async call(method: string, path: string, body?: unknown): Promise<Answer> {
    let res: Response;
    try {
      res = await fetch(`${this.gatewayUrl}${path}`, {
        method,
        headers: {
          ...(this.key ? { authorization: `Bearer ${this.key}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          // A retried demo step is then booked once (every POST and PUT takes one).
          ...(method === 'GET' ? {} : { 'idempotency-key': randomUUID() }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new Error(`the gateway at ${this.gatewayUrl} does not answer (${cause}): is the suite running (npm start)?`);
    }
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  /** The answer's body, or an error naming the request and the problem the gateway answered. */
  async expect(status: number, method: string, path: string, body?: unknown): Promise<any> {
    const answer = await this.call(method, path, body);
    if (answer.status !== status) {
      throw new Error(`${method} ${path} answered ${answer.status} (expected ${status}): ${JSON.stringify(answer.body)}`);
    }
    return answer.body;
  }
}

/** Asks `probe` every 200 ms until it returns a value, or gives up after `timeoutMs` saying what it waited for. */
export async function poll<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
