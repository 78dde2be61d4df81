/** Injection token of the parsed NOTIFY_PURCHASING_RECIPIENTS (a WarehouseRecipients directory). */
export const PURCHASING_RECIPIENTS = Symbol('PURCHASING_RECIPIENTS');
