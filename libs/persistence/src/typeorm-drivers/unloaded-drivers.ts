/**
 * What TypeORM's DriverFactory gets, in a service process, in place of each of its drivers other
 * than PostgreSQL's (see postgres-driver-only.ts): a class of the same name that refuses to be
 * constructed, so a data source of another type fails at once with this reason.
 */
function unloaded(type: string) {
  return class UnloadedDriver {
    constructor() {
      throw new Error(
        `TypeORM's ${type} driver is not loaded in a Skald service: the services run on PostgreSQL only ` +
          `(data source type 'postgres'; libs/persistence/src/typeorm-drivers)`,
      );
    }
  };
}

export const AuroraMysqlDriver = unloaded('aurora-mysql');
export const AuroraPostgresDriver = unloaded('aurora-postgres');
export const BetterSqlite3Driver = unloaded('better-sqlite3');
export const CapacitorDriver = unloaded('capacitor');
export const CockroachDriver = unloaded('cockroachdb');
export const CordovaDriver = unloaded('cordova');
export const ExpoDriver = unloaded('expo');
export const MongoDriver = unloaded('mongodb');
export const MysqlDriver = unloaded('mysql/mariadb');
export const NativescriptDriver = unloaded('nativescript');
export const OracleDriver = unloaded('oracle');
export const ReactNativeDriver = unloaded('react-native');
export const SapDriver = unloaded('sap');
export const SpannerDriver = unloaded('spanner');
export const SqljsDriver = unloaded('sqljs');
export const SqlServerDriver = unloaded('mssql');
