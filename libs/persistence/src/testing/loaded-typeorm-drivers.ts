import { execFileSync } from 'node:child_process';

/**
 * Which of TypeORM's drivers a node process loads (see typeorm-drivers/postgres-driver-only.ts).
 * The process, started with `nodeArgs` in `cwd`, runs `preparation` and then loads TypeORM, creates
 * a PostgreSQL data source and a MySQL one (neither connects), and reports which drivers' modules
 * were loaded and what the MySQL data source's creation threw. A child process, because the module
 * hooks are Node's, which Jest's own module system bypasses; it loads the built packages.
 */
export function loadedTypeOrmDrivers(options: { cwd: string; nodeArgs?: string[]; preparation?: string }): LoadedTypeOrmDrivers {
  const script = `${options.preparation ?? ''}\n${LOADED_DRIVERS_SCRIPT}`;
  const output = execFileSync(process.execPath, [...(options.nodeArgs ?? []), '-e', script], { cwd: options.cwd, encoding: 'utf8' });
  return JSON.parse(output) as LoadedTypeOrmDrivers;
}

const LOADED_DRIVERS_SCRIPT = `
const { DataSource } = require('typeorm');
new DataSource({ type: 'postgres', url: 'postgres://nobody@127.0.0.1:9/none' });
let refused = null;
try { new DataSource({ type: 'mysql' }); } catch (error) { refused = error.message; }
const drivers = Object.keys(require.cache)
  .map((file) => /typeorm[\\\\/]driver[\\\\/]([^\\\\/]+)[\\\\/][^\\\\/]*Driver\\.js$/.exec(file)?.[1])
  .filter(Boolean)
  .sort();
console.log(JSON.stringify({ drivers, refused }));
`;

export interface LoadedTypeOrmDrivers {
  /** The folders under typeorm/driver whose driver module was loaded, sorted ('postgres', …). */
  drivers: string[];
  /** The message of the MySQL data source's creation error (null if none was thrown). */
  refused: string | null;
}
