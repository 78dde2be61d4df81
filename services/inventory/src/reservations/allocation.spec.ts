import { allocate, allocateAvailable, type StockToAllocate } from './allocation.js';

const level = (warehouse: string, priority: number, onHand: number, reserved = 0, sku = 'A', quarantined = 0): StockToAllocate => ({
  sku,
  warehouse,
  priority,
  onHand,
  reserved,
  quarantined,
});

describe('allocate (all or nothing, by warehouse priority then code)', () => {
  it('takes from the lowest priority first and splits a line over warehouses', () => {
    const result = allocate(new Map([['A', 7]]), [level('W-B', 20, 10), level('W-A', 10, 5, 1)]);
    expect(result).toEqual({
      ok: true,
      allocations: [
        { sku: 'A', warehouse: 'W-A', quantity: 4 },
        { sku: 'A', warehouse: 'W-B', quantity: 3 },
      ],
    });
  });

  it('never takes quarantined units: only on hand less reserved less quarantined', () => {
    // W-A: 5 on hand, 1 reserved, 3 quarantined: 1 available. W-B: 4 on hand, all quarantined.
    const stock = [level('W-A', 10, 5, 1, 'A', 3), level('W-B', 20, 4, 0, 'A', 4)];
    expect(allocate(new Map([['A', 2]]), stock)).toEqual({ ok: false, shortages: [{ sku: 'A', requested: 2, available: 1 }] });
    expect(allocateAvailable(new Map([['A', 2]]), stock)).toEqual({
      allocations: [{ sku: 'A', warehouse: 'W-A', quantity: 1 }],
      missing: new Map([['A', 1]]),
    });
  });

  it('breaks priority ties by warehouse code', () => {
    const result = allocate(new Map([['A', 2]]), [level('W-2', 5, 2), level('W-1', 5, 2)]);
    expect(result).toEqual({ ok: true, allocations: [{ sku: 'A', warehouse: 'W-1', quantity: 2 }] });
  });

  it('allocates nothing and reports every short SKU with what is available in total', () => {
    const result = allocate(
      new Map([
        ['A', 3],
        ['B', 5],
        ['C', 1],
      ]),
      [level('W-1', 1, 2, 0, 'A'), level('W-2', 2, 4, 3, 'B'), level('W-1', 1, 3, 0, 'B'), level('W-1', 1, 1, 0, 'C')],
    );
    expect(result).toEqual({
      ok: false,
      shortages: [
        { sku: 'A', requested: 3, available: 2 },
        { sku: 'B', requested: 5, available: 4 },
      ],
    });
  });

  it('counts reserved units as unavailable and reports an SKU without stock as available 0', () => {
    expect(allocate(new Map([['A', 1]]), [level('W-1', 1, 3, 3)])).toEqual({
      ok: false,
      shortages: [{ sku: 'A', requested: 1, available: 0 }],
    });
    expect(allocate(new Map([['Z', 1]]), [])).toEqual({ ok: false, shortages: [{ sku: 'Z', requested: 1, available: 0 }] });
  });
});

describe('allocateAvailable (what there is, by warehouse priority then code)', () => {
  it('takes what each SKU has and reports only what is missing', () => {
    const result = allocateAvailable(
      new Map([
        ['A', 5],
        ['B', 2],
        ['C', 1],
      ]),
      [level('W-2', 2, 4, 1, 'A'), level('W-1', 1, 1, 0, 'A'), level('W-1', 1, 9, 0, 'B')],
    );
    expect(result.allocations).toEqual([
      { sku: 'A', warehouse: 'W-1', quantity: 1 },
      { sku: 'A', warehouse: 'W-2', quantity: 3 },
      { sku: 'B', warehouse: 'W-1', quantity: 2 },
    ]);
    expect([...result.missing]).toEqual([
      ['A', 1],
      ['C', 1],
    ]);
  });

  it('allocates nothing from fully reserved stock', () => {
    expect(allocateAvailable(new Map([['A', 2]]), [level('W-1', 1, 3, 3)])).toEqual({ allocations: [], missing: new Map([['A', 2]]) });
  });
});
