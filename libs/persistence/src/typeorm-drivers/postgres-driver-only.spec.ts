import path from 'node:path';
import { loadedTypeOrmDrivers } from '../testing/loaded-typeorm-drivers.js';

const repoRoot = path.resolve(__dirname, '../../../..');

describe('loadOnlyPostgresDriver', () => {
  it('leaves TypeORM loading all its drivers when not registered', () => {
    const { drivers, refused } = loadedTypeOrmDrivers({ cwd: repoRoot });
    expect(drivers).toEqual(expect.arrayContaining(['mysql', 'oracle', 'postgres', 'sqlserver']));
    expect(drivers.length).toBeGreaterThan(10);
    expect(refused).not.toMatch(/not loaded in a Skald service/);
  });

  it('makes TypeORM load only PostgreSQL’s driver, and refuse another type saying why', () => {
    const { drivers, refused } = loadedTypeOrmDrivers({
      cwd: repoRoot,
      preparation: "require('@skald/persistence/typeorm-drivers').loadOnlyPostgresDriver();",
    });
    expect(drivers).toEqual(['postgres']);
    expect(refused).toBe(
      "TypeORM's mysql/mariadb driver is not loaded in a Skald service: the services run on PostgreSQL only " +
        "(data source type 'postgres'; libs/persistence/src/typeorm-drivers)",
    );
  });
});
