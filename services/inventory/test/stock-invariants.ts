import type { DataSource } from 'typeorm';

interface LevelCheck {
  sku: string;
  warehouse: string;
  on_hand: number;
  reserved: number;
  ledger_on_hand: number;
  ledger_reserved: number;
  active_reserved: number;
  last_on_hand_after: number | null;
  last_reserved_after: number | null;
}

/**
 * The inventory's bookkeeping invariants, checked over every stock level in the database:
 * on hand = sum of the ledger's on-hand deltas, reserved = sum of the ledger's reserved deltas
 * = sum of the active reservations, and the latest ledger entry shows the level as it is.
 * @returns one line per broken invariant (empty when all hold).
 */
export async function stockInvariantViolations(dataSource: DataSource): Promise<string[]> {
  const levels: LevelCheck[] = await dataSource.query(`
    SELECT s.sku, s.warehouse, s.on_hand, s.reserved,
           COALESCE(m.on_hand, 0)::int AS ledger_on_hand,
           COALESCE(m.reserved, 0)::int AS ledger_reserved,
           COALESCE(r.reserved, 0)::int AS active_reserved,
           last.on_hand_after AS last_on_hand_after,
           last.reserved_after AS last_reserved_after
      FROM stock_level s
      LEFT JOIN (SELECT sku, warehouse, sum(on_hand_delta) AS on_hand, sum(reserved_delta) AS reserved
                   FROM stock_movement GROUP BY sku, warehouse) m
             ON m.sku = s.sku AND m.warehouse = s.warehouse
      LEFT JOIN (SELECT sku, warehouse, sum(quantity) AS reserved
                   FROM reservation WHERE status = 'active' GROUP BY sku, warehouse) r
             ON r.sku = s.sku AND r.warehouse = s.warehouse
      LEFT JOIN LATERAL (SELECT on_hand_after, reserved_after FROM stock_movement
                          WHERE sku = s.sku AND warehouse = s.warehouse ORDER BY id DESC LIMIT 1) last ON true`);
  return levels.flatMap((level) => {
    const at = `${level.sku}@${level.warehouse}`;
    const broken: string[] = [];
    if (level.on_hand !== level.ledger_on_hand) broken.push(`${at}: on_hand ${level.on_hand} ≠ ledger ${level.ledger_on_hand}`);
    if (level.reserved !== level.ledger_reserved) broken.push(`${at}: reserved ${level.reserved} ≠ ledger ${level.ledger_reserved}`);
    if (level.reserved !== level.active_reserved) {
      broken.push(`${at}: reserved ${level.reserved} ≠ active reservations ${level.active_reserved}`);
    }
    if (level.last_on_hand_after !== null && (level.last_on_hand_after !== level.on_hand || level.last_reserved_after !== level.reserved)) {
      broken.push(`${at}: latest ledger entry shows ${level.last_on_hand_after}/${level.last_reserved_after}`);
    }
    return broken;
  });
}
