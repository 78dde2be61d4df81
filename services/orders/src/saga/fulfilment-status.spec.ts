import { fulfilmentStatus } from './fulfilment-status.js';

describe('fulfilment status of an order from its outbound notes', () => {
  it.each([
    [['created', 'confirmed'], 2, 'released'],
    [['picking', 'created'], 2, 'picking'],
    [['packed'], 2, 'picking'],
    [['packed', 'packed'], 2, 'packed'],
    [['shipped', 'packed'], 2, 'packed'],
    [['shipped'], 2, 'picking'],
    [['shipped', 'shipped'], 2, 'shipped'],
    [['delivered', 'shipped'], 2, 'shipped'],
    [['delivered', 'delivered'], 2, 'delivered'],
  ])('%j of %i notes → %s', (statuses, expected, status) => {
    expect(fulfilmentStatus(statuses, expected)).toBe(status);
  });
});
