/**
 * A webhook body's `timestamp`: the instant normalised to UTC; an ISO 8601 form Date cannot read
 * (week dates) is passed on as it came.
 */
export function webhookTimestamp(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : at.toISOString();
}
