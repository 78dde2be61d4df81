/**
 * The life of a return's inbound receipt, in one place. The database CHECK on
 * `return_receipt.status` follows this list by migration (`return_receipt_status_ck`).
 *
 * ```
 * expected --receive--> received --inspect--> inspected
 *    \--cancel--> cancelled          (also before expect-return arrived: a tombstone)
 * ```
 */
export const RETURN_RECEIPT_STATUSES = ['expected', 'received', 'inspected', 'cancelled'] as const;
export type ReturnReceiptStatus = (typeof RETURN_RECEIPT_STATUSES)[number];
