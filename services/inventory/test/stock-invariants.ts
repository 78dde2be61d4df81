import type { DataSource } from 'typeorm';

interface LevelCheck {
  sku: string;
  warehouse: string;
  on_hand: number;
  reserved: number;
  quarantined: number;
  ledger_on_hand: number;
  ledger_reserved: number;
  ledger_quarantined: number;
  active_reserved: number;
  last_on_hand_after: number | null;
  last_reserved_after: number | null;
  last_quarantined_after: number | null;
}

/**
 * The inventory's bookkeeping invariants, checked over every stock level in the database:
 * on hand = sum of the ledger's on-hand deltas, reserved = sum of the ledger's reserved deltas
 * = sum of the active reservations, quarantined = sum of the ledger's quarantined deltas, and the
 * latest ledger entry shows the level as it is.
 * @returns one line per broken invariant (empty when all hold).
 */
export async function stockInvariantViolations(dataSource: DataSource): Promise<string[]> {
  const levels: LevelCheck[] = await dataSource.query(`
    SELECT s.sku, s.warehouse, s.on_hand, s.reserved, s.quarantined,
           COALESCE(m.on_hand, 0)::int AS ledger_on_hand,
           COALESCE(m.reserved, 0)::int AS ledger_reserved,
           COALESCE(m.quarantined, 0)::int AS ledger_quarantined,
           COALESCE(r.reserved, 0)::int AS active_reserved,
           last.on_hand_after AS last_on_hand_after,
           last.reserved_after AS last_reserved_after,
           last.quarantined_after AS last_quarantined_after
      FROM stock_level s
      LEFT JOIN (SELECT sku, warehouse, sum(on_hand_delta) AS on_hand, sum(reserved_delta) AS reserved, sum(quarantined_delta) AS quarantined
                   FROM stock_movement GROUP BY sku, warehouse) m
             ON m.sku = s.sku AND m.warehouse = s.warehouse
      LEFT JOIN (SELECT sku, warehouse, sum(quantity) AS reserved
                   FROM reservation WHERE status = 'active' GROUP BY sku, warehouse) r
             ON r.sku = s.sku AND r.warehouse = s.warehouse
      LEFT JOIN LATERAL (SELECT on_hand_after, reserved_after, quarantined_after FROM stock_movement
                          WHERE sku = s.sku AND warehouse = s.warehouse ORDER BY id DESC LIMIT 1) last ON true`);
  return levels.flatMap((level) => {
    const at = `${level.sku}@${level.warehouse}`;
    const broken: string[] = [];
    if (level.on_hand !== level.ledger_on_hand) broken.push(`${at}: on_hand ${level.on_hand} ≠ ledger ${level.ledger_on_hand}`);
    if (level.reserved !== level.ledger_reserved) broken.push(`${at}: reserved ${level.reserved} ≠ ledger ${level.ledger_reserved}`);
    if (level.quarantined !== level.ledger_quarantined) broken.push(`${at}: quarantined ${level.quarantined} ≠ ledger ${level.ledger_quarantined}`);
    if (level.reserved !== level.active_reserved) {
      broken.push(`${at}: reserved ${level.reserved} ≠ active reservations ${level.active_reserved}`);
    }
    const last = [level.last_on_hand_after, level.last_reserved_after, level.last_quarantined_after];
    if (last[0] !== null && last.join('/') !== [level.on_hand, level.reserved, level.quarantined].join('/')) {
      broken.push(`${at}: latest ledger entry shows ${last.join('/')}`);
    }
    return broken;
  });
}
