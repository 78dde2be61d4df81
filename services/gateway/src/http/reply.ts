/**
 * A complete HTTP answer (status, selected headers, JSON text) that a handler returns instead of
 * a bare body: forwarded upstream answers and replayed idempotent responses, sent byte for byte as
 * they were received. ReplyInterceptor writes it out.
 */
export class Reply {
  constructor(
    readonly status: number,
    /** The JSON body as text, or undefined for no body. */
    readonly body: string | undefined,
    /** Lower-case header names. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}

  withHeader(name: string, value: string): Reply {
    return new Reply(this.status, this.body, { ...this.headers, [name.toLowerCase()]: value });
  }

  /** The body parsed (tests, logs). */
  json(): unknown {
    return this.body === undefined ? undefined : JSON.parse(this.body);
  }
}
