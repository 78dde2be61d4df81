/** The PostgreSQL server of a local suite (`npm start`) unless SKALD_POSTGRES_URL says otherwise. */
export const LOCAL_POSTGRES_SERVER = 'postgres://postgres@127.0.0.1:5432';

/**
 * Where `npm start` keeps a service's database, and which variable said so: `<SERVICE>_DATABASE_URL`
 * when set, else `skald_<service>` on the server of `SKALD_POSTGRES_URL` (default: the local one).
 * `npm start` and the gateway's CLI both ask here, so the CLI finds the database the suite runs on.
 */
export function localDatabaseUrl(service: string, env: Record<string, string | undefined>): { url: string; variable: string } {
  const own = `${service.toUpperCase()}_DATABASE_URL`;
  if (env[own]) return { url: env[own], variable: own };
  const server = (env.SKALD_POSTGRES_URL || LOCAL_POSTGRES_SERVER).replace(/\/+$/, '');
  return { url: `${server}/skald_${service}`, variable: env.SKALD_POSTGRES_URL ? 'SKALD_POSTGRES_URL' : 'the default server' };
}
