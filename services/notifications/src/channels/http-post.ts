import { ForbiddenTargetError } from '@skald/service-kit';
import { fetch, type Dispatcher, type Response } from 'undici';
import { refused, accepted, type SendOutcome } from './send-outcome.js';

const SNIPPET_BYTES = 500;

export interface JsonPost {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Whether a non-2xx status may succeed on a later attempt. */
  retryableStatus: (status: number) => boolean;
  /** Connection pool to send through (e.g. one whose lookup refuses non-public addresses); undici's global one otherwise. */
  dispatcher?: Dispatcher;
}

/**
 * POSTs a JSON body and classifies the answer: 2xx is accepted; anything else, a network error or
 * no answer within the time limit is refused (retryable unless the status says otherwise).
 * Redirects are not followed: a receiver that moved must be re-subscribed, not guessed. A target the
 * dispatcher refuses (ForbiddenTargetError) is refused for good: asking again will not change it.
 */
export async function postJson(post: JsonPost): Promise<SendOutcome> {
  let response: Response;
  try {
    response = await fetch(post.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...post.headers },
      body: post.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(post.timeoutMs),
      dispatcher: post.dispatcher,
    });
  } catch (error) {
    const forbidden = forbiddenTargetOf(error);
    if (forbidden) return refused(`${forbidden.code}: ${forbidden.message}`, false);
    return refused(describeFetchError(error, post.timeoutMs), true);
  }
  const snippet = await readSnippet(response);
  const detail = `HTTP ${response.status}${snippet ? `: ${snippet}` : ''}`;
  if (response.status >= 200 && response.status < 300) return accepted(detail);
  return refused(detail, post.retryableStatus(response.status));
}

/** Throttling, timeouts and server errors pass; other client errors will be refused again. */
export const transientHttpStatus = (status: number): boolean => status === 408 || status === 425 || status === 429 || status >= 500;

function forbiddenTargetOf(error: unknown): ForbiddenTargetError | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ForbiddenTargetError) return cause;
  }
  return undefined;
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reason = cause?.code ?? cause?.message ?? (error as Error).message;
  return `request failed: ${reason}`;
}

/** The start of the answer's body, for the attempt log; the rest is discarded unread. */
async function readSnippet(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < SNIPPET_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut short still leaves the status, which is what decides.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).toString('utf8', 0, Math.min(size, SNIPPET_BYTES));
  return text.replace(/\s+/g, ' ').trim();
}
