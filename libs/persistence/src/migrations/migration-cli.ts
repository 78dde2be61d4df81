import type { DataSource } from 'typeorm';
import { ensureDatabase } from '../database/ensure-database.js';
import { redactUrl } from '../database/database-url.js';
import { runMigrations } from './run-migrations.js';

export interface MigrationCliOptions {
  service: string;
  url: string;
  dataSource: DataSource;
  argv: string[];
  out?: (line: string) => void;
}

const USAGE = 'usage: migrate [run|revert|show]';

/**
 * The per-service migration command (`npm run migrate -w services/<name> -- run|revert|show`),
 * also what a Kubernetes migration Job runs. Returns the process exit code.
 */
export async function runMigrationCli(options: MigrationCliOptions): Promise<number> {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const command = options.argv[0] ?? 'run';
  if (!['run', 'revert', 'show'].includes(command)) {
    out(USAGE);
    return 64;
  }
  if (command === 'run') await ensureDatabase(options.url);
  await options.dataSource.initialize();
  try {
    if (command === 'run') {
      const applied = await runMigrations(options.dataSource);
      out(`${options.service}: ${applied.length} migration(s) applied to ${redactUrl(options.url)}`);
      for (const migration of applied) out(`  + ${migration.name}`);
    } else if (command === 'revert') {
      await options.dataSource.undoLastMigration({ transaction: 'each' });
      out(`${options.service}: last migration reverted`);
    } else {
      const pending = await options.dataSource.showMigrations();
      out(`${options.service}: ${pending ? 'pending migrations' : 'up to date'}`);
    }
    return 0;
  } finally {
    await options.dataSource.destroy();
  }
}
