import type { ReturnStatus } from '@skald/contracts';
import { renderEmail, type RenderedEmail } from '../layout.js';
import { approved } from './approved.js';
import { cancelled } from './cancelled.js';
import { exchanged } from './exchanged.js';
import { received } from './received.js';
import { refunded } from './refunded.js';
import { rejected } from './rejected.js';
import { requested } from './requested.js';
import type { CustomerReturnStatus, ReturnStatusTemplate, ReturnStatusView } from './return-status-view.js';

export { customerReason, SILENT_RETURN_STATUSES, type CustomerReturnStatus, type ReturnStatusView } from './return-status-view.js';

/**
 * The customer e-mail of each return status the customer is told about (the compiler insists on
 * one for every status of the contract that is not in SILENT_RETURN_STATUSES).
 */
export const RETURN_STATUS_TEMPLATES: Readonly<Record<CustomerReturnStatus, ReturnStatusTemplate>> = {
  requested,
  approved,
  rejected,
  received,
  refunded,
  exchanged,
  cancelled,
};

/** The customer e-mail for a return's new status, or null for a status the customer is not written to. */
export function returnStatusEmail(status: ReturnStatus, view: ReturnStatusView): RenderedEmail | null {
  const template = (RETURN_STATUS_TEMPLATES as Partial<Record<ReturnStatus, ReturnStatusTemplate>>)[status];
  return template ? renderEmail(template(view)) : null;
}
