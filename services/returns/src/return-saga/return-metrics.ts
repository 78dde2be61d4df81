import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Gauge, register } from 'prom-client';
import { DataSource } from 'typeorm';

/** The data source the gauge reads (the service's; one per process). */
let source: DataSource | undefined;

/**
 * `skald_returns_open{status, overdue}`: returns not closed yet, by status, and whether they are
 * past the after-sales answer (review) or inspection time — the 24-hour rule made visible to
 * operators and alerts. Read from the database at each scrape (one grouped count).
 */
@Injectable()
export class ReturnMetrics implements OnModuleInit {
  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    source = this.dataSource;
    if (register.getSingleMetric('skald_returns_open')) return;
    new Gauge({
      name: 'skald_returns_open',
      help: 'Returns not closed yet, by status and whether they are overdue (review or inspection past its time)',
      labelNames: ['status', 'overdue'],
      async collect() {
        if (!source?.isInitialized) return;
        const rows: Array<{ status: string; overdue: boolean; n: number }> = await source.query(
          `SELECT r.status, coalesce((s.data->>'overdue')::boolean, false) AS overdue, count(*)::int AS n
             FROM return_request r JOIN saga s ON s.id = r.id
            WHERE r.status NOT IN ('closed', 'rejected', 'cancelled') GROUP BY 1, 2`,
        );
        this.reset();
        for (const row of rows) this.set({ status: row.status, overdue: String(row.overdue) }, row.n);
      },
    });
  }
}
