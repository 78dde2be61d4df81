import { isEmail } from 'class-validator';

/** The catch-all key of NOTIFY_WAREHOUSE_RECIPIENTS (and NOTIFY_PURCHASING_RECIPIENTS): recipients of warehouses not listed by name. */
export const ANY_WAREHOUSE = '*';

/**
 * Who is told, per warehouse: `WH-1=a@x.com,b@x.com;WH-2=c@x.com;*=fallback@x.com` (warehouse staff
 * about outbound notes: NOTIFY_WAREHOUSE_RECIPIENTS; purchasing about low stock: NOTIFY_PURCHASING_RECIPIENTS).
 * A warehouse without its own entry goes to the `*` entry, if there is one.
 */
export class WarehouseRecipients {
  private constructor(private readonly byWarehouse: ReadonlyMap<string, readonly string[]>) {}

  /** An empty directory: nobody is told about any warehouse. */
  static none(): WarehouseRecipients {
    return new WarehouseRecipients(new Map());
  }

  /**
   * Parses the variable's value.
   * @throws Error describing the first malformed entry (the caller names the variable).
   */
  static parse(raw: string | undefined): WarehouseRecipients {
    const byWarehouse = new Map<string, string[]>();
    if (raw === undefined || raw.trim() === '') return new WarehouseRecipients(byWarehouse);
    const entries = raw.split(';').map((entry) => entry.trim());
    entries.forEach((entry, index) => {
      // A trailing separator ("WH-1=a@x.com;") is harmless; an empty entry in the middle is a typo.
      if (entry === '' && index === entries.length - 1) return;
      const equals = entry.indexOf('=');
      if (equals <= 0) {
        throw new Error(`entry ${index + 1} ("${entry}") must be WAREHOUSE=address[,address…]`);
      }
      const warehouse = entry.slice(0, equals).trim();
      if (warehouse === '') throw new Error(`entry ${index + 1} ("${entry}") has no warehouse before "="`);
      if (byWarehouse.has(warehouse)) throw new Error(`warehouse "${warehouse}" is listed twice`);
      const addresses = entry
        .slice(equals + 1)
        .split(',')
        .map((address) => address.trim());
      if (addresses.length === 1 && addresses[0] === '') throw new Error(`warehouse "${warehouse}" has no address`);
      const invalid = addresses.find((address) => !isEmail(address));
      if (invalid !== undefined) throw new Error(`"${invalid}" (warehouse "${warehouse}") is not an e-mail address`);
      byWarehouse.set(warehouse, [...new Set(addresses)]);
    });
    return new WarehouseRecipients(byWarehouse);
  }

  /** The addresses for one warehouse: its own entry, else the `*` entry, else none. */
  for(warehouse: string): readonly string[] {
    return this.byWarehouse.get(warehouse) ?? this.byWarehouse.get(ANY_WAREHOUSE) ?? [];
  }

  get isEmpty(): boolean {
    return this.byWarehouse.size === 0;
  }
}
