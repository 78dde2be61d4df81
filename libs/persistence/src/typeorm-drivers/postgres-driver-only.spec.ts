import { execFileSync } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../../..');

/**
 * In a child node process (the hook is Node's, which Jest's own module system bypasses; the child
 * loads the built package): runs `preparation`, loads TypeORM, creates a PostgreSQL data source and
 * a MySQL one (neither connects), and reports which drivers' modules were loaded and what the MySQL
 * data source's creation threw.
 */
function loadTypeOrm(preparation: string): { drivers: string[]; refused: string | null } {
  const script = `${preparation}
    const { DataSource } = require('typeorm');
    new DataSource({ type: 'postgres', url: 'postgres://nobody@127.0.0.1:9/none' });
    let refused = null;
    try { new DataSource({ type: 'mysql' }); } catch (error) { refused = error.message; }
    const drivers = Object.keys(require.cache)
      .map((file) => /typeorm[\\\\/]driver[\\\\/]([^\\\\/]+)[\\\\/][^\\\\/]*Driver\\.js$/.exec(file)?.[1])
      .filter(Boolean)
      .sort();
    console.log(JSON.stringify({ drivers, refused }));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: repoRoot, encoding: 'utf8' })) as { drivers: string[]; refused: string | null };
}

describe('loadOnlyPostgresDriver', () => {
  it('leaves TypeORM loading all its drivers when not registered', () => {
    const { drivers, refused } = loadTypeOrm('');
    expect(drivers).toEqual(expect.arrayContaining(['mysql', 'oracle', 'postgres', 'sqlserver']));
    expect(drivers.length).toBeGreaterThan(10);
    expect(refused).not.toMatch(/not loaded in a Skald service/);
  });

  it('makes TypeORM load only PostgreSQL’s driver, and refuse another type saying why', () => {
    const { drivers, refused } = loadTypeOrm("require('@skald/persistence/typeorm-drivers').loadOnlyPostgresDriver();");
    expect(drivers).toEqual(['postgres']);
    expect(refused).toBe(
      "TypeORM's mysql/mariadb driver is not loaded in a Skald service: the services run on PostgreSQL only " +
        "(data source type 'postgres'; libs/persistence/src/typeorm-drivers)",
    );
  });
});
