import { WarehouseRecipients } from './warehouse-recipients.js';

describe('WarehouseRecipients.parse (NOTIFY_WAREHOUSE_RECIPIENTS)', () => {
  it('reads addresses per warehouse, with the * entry for warehouses not listed', () => {
    const recipients = WarehouseRecipients.parse(' WH-1 = a@x.com, b@x.com ;WH-2=c@x.com;*=fallback@x.com;');
    expect(recipients.for('WH-1')).toEqual(['a@x.com', 'b@x.com']);
    expect(recipients.for('WH-2')).toEqual(['c@x.com']);
    expect(recipients.for('WH-9')).toEqual(['fallback@x.com']);
  });

  it('has nobody for an unlisted warehouse without a * entry, or when unset', () => {
    expect(WarehouseRecipients.parse('WH-1=a@x.com').for('WH-2')).toEqual([]);
    expect(WarehouseRecipients.parse(undefined).isEmpty).toBe(true);
    expect(WarehouseRecipients.parse('  ').for('WH-1')).toEqual([]);
  });

  it('lists an address given twice for a warehouse once', () => {
    expect(WarehouseRecipients.parse('WH-1=a@x.com,a@x.com').for('WH-1')).toEqual(['a@x.com']);
  });

  it.each([
    ['WH-1', /entry 1 \("WH-1"\) must be WAREHOUSE=address/],
    ['=a@x.com', /entry 1 \("=a@x.com"\) must be WAREHOUSE=address/],
    ['WH-1=', /warehouse "WH-1" has no address/],
    ['WH-1=a@x.com,', /"" \(warehouse "WH-1"\) is not an e-mail address/],
    ['WH-1=a@x.com;;WH-2=b@x.com', /entry 2 \(""\) must be/],
    ['WH-1=not-an-address', /"not-an-address" \(warehouse "WH-1"\) is not an e-mail address/],
    ['WH-1=a@x.com;WH-1=b@x.com', /warehouse "WH-1" is listed twice/],
  ])('refuses %j', (raw, problem) => {
    expect(() => WarehouseRecipients.parse(raw)).toThrow(problem);
  });
});
