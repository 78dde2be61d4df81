import { localDatabaseUrl } from './local-database-url.js';

describe('localDatabaseUrl (where `npm start` keeps a service database)', () => {
  it('is skald_<service> on the local server by default', () => {
    expect(localDatabaseUrl('gateway', {})).toEqual({ url: 'postgres://postgres@127.0.0.1:5432/skald_gateway', variable: 'the default server' });
  });

  it('is skald_<service> on the server of SKALD_POSTGRES_URL (a trailing slash or not)', () => {
    expect(localDatabaseUrl('orders', { SKALD_POSTGRES_URL: 'postgres://app:pw@db.internal:6543/' })).toEqual({
      url: 'postgres://app:pw@db.internal:6543/skald_orders',
      variable: 'SKALD_POSTGRES_URL',
    });
  });

  it('is <SERVICE>_DATABASE_URL when set, whatever the server', () => {
    expect(localDatabaseUrl('gateway', { GATEWAY_DATABASE_URL: 'postgres://x@h/gw', SKALD_POSTGRES_URL: 'postgres://y@z' })).toEqual({
      url: 'postgres://x@h/gw',
      variable: 'GATEWAY_DATABASE_URL',
    });
  });
});
