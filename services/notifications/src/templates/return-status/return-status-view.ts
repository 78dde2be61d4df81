import type { ReturnStatus } from '@skald/contracts';
import type { EmailContent } from '../layout.js';

/**
 * Statuses the customer is not written to: `inspected` is followed by `refunded` or `exchanged`
 * at once (the customer hears the outcome, not the step), `closed` is bookkeeping after either.
 * Platforms get a webhook for these too.
 */
export const SILENT_RETURN_STATUSES = ['inspected', 'closed'] as const satisfies readonly ReturnStatus[];

/** The return statuses a customer gets an e-mail for. */
export type CustomerReturnStatus = Exclude<ReturnStatus, (typeof SILENT_RETURN_STATUSES)[number]>;

/** What a return status template may use. */
export interface ReturnStatusView {
  rmaNumber: string;
  /** The platform's id of the order the goods came from. */
  externalId: string;
  customerName: string;
  /** What the customer may read of the status reason (see customerReason), or null. */
  reason: string | null;
  /** With `refunded`: the amount refunded. */
  refund: { amount: string; currency: string } | null;
}

export type ReturnStatusTemplate = (view: ReturnStatusView) => EmailContent;

export const greet = (view: ReturnStatusView): string => `Hello ${view.customerName},`;

/** `Reason: …` when there is one the customer may read. */
export const reasonBlocks = (view: ReturnStatusView): string[] => (view.reason ? [`Reason: ${view.reason}`] : []);

// `CODE: text` or `CODE by principal: text`, as the returns service writes its status reasons.
const CODED = /^[A-Z][A-Z0-9_]*(?: by [^:]*)?(?:: ?([\s\S]*))?$/;

/**
 * The part of a return's status reason a customer may read. Returns writes reasons as a code, who
 * decided, and the words of the reviewer or requester (`REJECTED_BY_REVIEWER: item was used`,
 * `CANCELLED by shop-7: ordered by mistake`): the code and the principal are internal, the words
 * are for the customer. A reason that is only a code shows nothing; one without a code is shown
 * as it is.
 */
export function customerReason(reason: string | null | undefined): string | null {
  if (!reason) return null;
  const coded = CODED.exec(reason);
  if (!coded) return reason.trim() || null;
  return coded[1]?.trim() || null;
}
