/** What one attempt to hand a message to its channel came to. */
export type SendOutcome =
  | { ok: true; detail: string }
  /** `retryable: false`: the receiver refused the message for good (a bad address, a 5xx SMTP reply). */
  | { ok: false; retryable: boolean; detail: string };

export const accepted = (detail: string): SendOutcome => ({ ok: true, detail });

export const refused = (detail: string, retryable: boolean): SendOutcome => ({ ok: false, retryable, detail });
