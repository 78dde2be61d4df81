import { ConfigError, loadConfig } from '@skald/service-kit';
import { InventoryConfig } from './inventory-config.js';

const required = { PORT: '0', DATABASE_URL: 'postgres://u@localhost/inventory', RABBITMQ_URL: 'amqp://localhost', INTERNAL_API_TOKEN: 'internal-token-of-at-least-32-characters' };

describe('InventoryConfig', () => {
  it('holds reservations two days and sweeps every 10 s unless told otherwise', () => {
    expect(loadConfig('inventory', InventoryConfig, required)).toMatchObject({
      RESERVATION_HOLD_SECONDS: 172_800,
      RESERVATION_SWEEP_INTERVAL_MS: 10_000,
      RESERVATION_SWEEP_BATCH_SIZE: 200,
    });
    expect(
      loadConfig('inventory', InventoryConfig, { ...required, RESERVATION_HOLD_SECONDS: '30', RESERVATION_SWEEP_INTERVAL_MS: '500' }),
    ).toMatchObject({ RESERVATION_HOLD_SECONDS: 30, RESERVATION_SWEEP_INTERVAL_MS: 500 });
  });

  it('names every invalid variable', () => {
    const load = () =>
      loadConfig('inventory', InventoryConfig, {
        ...required,
        RESERVATION_HOLD_SECONDS: '0',
        RESERVATION_SWEEP_INTERVAL_MS: 'soon',
        RESERVATION_SWEEP_BATCH_SIZE: '1.5',
      });
    expect(load).toThrow(ConfigError);
    try {
      load();
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual([
        'RESERVATION_HOLD_SECONDS',
        'RESERVATION_SWEEP_INTERVAL_MS',
        'RESERVATION_SWEEP_BATCH_SIZE',
      ]);
    }
  });
});
