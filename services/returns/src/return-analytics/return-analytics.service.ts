import { BadRequestException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ReturnAnalyticsQuery, ReturnAnalyticsView, ReturnGrouping } from './return-analytics.dto.js';

const DAY = 86_400_000;
const MAX_DAYS = 366;
/** Returns that count: all but the refused and the withdrawn. */
const COUNTED = `r.status NOT IN ('rejected', 'cancelled')`;

const rate = (returned: number, shipped: number): number | null => (shipped > 0 ? Math.round((returned / shipped) * 10_000) / 10_000 : null);

/**
 * Return figures for product and sales decisions: units returned (by reason, SKU or channel),
 * units shipped in the same period, the return rate, and how many returns — from returns' own
 * tables (returns asked for in the period; shipments made in it).
 */
@Injectable()
export class ReturnAnalytics {
  constructor(private readonly dataSource: DataSource) {}

  async figures(query: ReturnAnalyticsQuery): Promise<ReturnAnalyticsView> {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY);
    if (from >= to || to.getTime() - from.getTime() > MAX_DAYS * DAY) {
      throw new BadRequestException({
        code: 'VALIDATION_FAILED',
        detail: `from must be before to, at most ${MAX_DAYS} days apart.`,
        errors: [{ field: 'from', message: `from must be before to, at most ${MAX_DAYS} days apart` }],
      });
    }
    const groupBy: ReturnGrouping = query.groupBy ?? 'reason';
    const params = [from, to, query.platformId ?? null];
    const platform = `($3::text IS NULL OR o.tenant_id = $3)`;
    const returnedKey = { reason: 'l.reason_code', sku: 'l.sku', channel: 'o.channel' }[groupBy];
    const returned: Array<{ key: string; units: number; returns: number }> = await this.dataSource.query(
      `SELECT ${returnedKey} AS key, sum(l.quantity)::int AS units, count(DISTINCT r.id)::int AS returns
         FROM return_request r JOIN return_line l ON l.return_id = r.id JOIN returnable_order o ON o.order_id = r.order_id
        WHERE r.created_at >= $1 AND r.created_at < $2 AND ${COUNTED} AND ${platform}
        GROUP BY 1`,
      params,
    );
    const shippedKey = { reason: `'all'`, sku: 's.sku', channel: 'o.channel' }[groupBy];
    const shipped: Array<{ key: string; units: number }> = await this.dataSource.query(
      `SELECT ${shippedKey} AS key, sum(s.quantity)::int AS units
         FROM (SELECT n.order_id, l.sku, l.quantity FROM returnable_shipment n, jsonb_to_recordset(n.lines) AS l(sku text, quantity int)
                WHERE n.shipped_at >= $1 AND n.shipped_at < $2) s
         JOIN returnable_order o ON o.order_id = s.order_id
        WHERE ${platform}
        GROUP BY 1`,
      params,
    );
    const [totals] = (await this.dataSource.query(
      `SELECT coalesce(sum(l.quantity), 0)::int AS units, count(DISTINCT r.id)::int AS returns
         FROM return_request r JOIN return_line l ON l.return_id = r.id JOIN returnable_order o ON o.order_id = r.order_id
        WHERE r.created_at >= $1 AND r.created_at < $2 AND ${COUNTED} AND ${platform}`,
      params,
    )) as Array<{ units: number; returns: number }>;
    const shippedBy = new Map(shipped.map((row) => [row.key, row.units]));
    const shippedTotal = shipped.reduce((sum, row) => sum + row.units, 0);
    const keys = new Set([...returned.map((row) => row.key), ...(groupBy === 'reason' ? [] : shipped.map((row) => row.key))]);
    const groups = [...keys]
      .map((key) => {
        const row = returned.find((r) => r.key === key);
        const units = row?.units ?? 0;
        const shippedUnits = groupBy === 'reason' ? shippedTotal : (shippedBy.get(key) ?? 0);
        return { key, returnedUnits: units, shippedUnits, returnRate: rate(units, shippedUnits), returns: row?.returns ?? 0 };
      })
      .sort((a, b) => b.returnedUnits - a.returnedUnits || a.key.localeCompare(b.key));
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      groupBy,
      groups,
      totals: { returnedUnits: totals.units, shippedUnits: shippedTotal, returnRate: rate(totals.units, shippedTotal), returns: totals.returns },
    };
  }
}
