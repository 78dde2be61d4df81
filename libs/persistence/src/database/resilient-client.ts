import pg from 'pg';

/**
 * The client class of every service's connection pool. A connection the server ends while no
 * query runs on it (pg_terminate_backend, a failover, a restart) emits an `error` event; the pool
 * listens while the connection is idle and TypeORM while a query runner holds it, but a connection
 * between those hands had no listener, and Node ends the process on an unheard `error` (seen in
 * the fault test: the gateway killed by `57P01 terminating connection due to administrator
 * command`). This listener hears it too: the connection is dead, its next use fails and is
 * reported where it is used, and the process lives on. Logged as one JSON warning line.
 */
export class ResilientClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const applicationName = typeof config === 'object' ? config.application_name : undefined;
    this.on('error', (error: Error & { code?: string }) => {
      process.stderr.write(
        `${JSON.stringify({
          level: 'warn',
          time: new Date().toISOString(),
          service: applicationName,
          context: 'Database',
          msg: `database connection lost outside a query: ${error.code ?? ''} ${error.message}`.replace('  ', ' '),
        })}\n`,
      );
    });
  }
}
