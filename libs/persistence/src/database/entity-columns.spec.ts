import { entityColumns } from './entity-columns.js';

class Parcel {
  id: string;
  orderId: string;
  shippedAt: Date | null;
  deliveryDate: string | null;

  label(): string {
    return `${this.orderId}/${this.id}`;
  }
}

const PARCEL = entityColumns(Parcel, { id: 'id', orderId: 'order_id', shippedAt: 'shipped_at', deliveryDate: 'delivery_date::text' });

describe('entityColumns: a plain-SQL row as an entity', () => {
  it('names every column as its property, in the order given; qualified and prefixed for a join', () => {
    expect(PARCEL.list).toBe(`id AS "id", order_id AS "orderId", shipped_at AS "shippedAt", delivery_date::text AS "deliveryDate"`);
    expect(PARCEL.listOf('p', 'parcel.')).toBe(
      `p.id AS "parcel.id", p.order_id AS "parcel.orderId", p.shipped_at AS "parcel.shippedAt", p.delivery_date::text AS "parcel.deliveryDate"`,
    );
    expect(PARCEL.listOf('p')).toBe(`p.id AS "id", p.order_id AS "orderId", p.shipped_at AS "shippedAt", p.delivery_date::text AS "deliveryDate"`);
  });

  it("makes an instance of the entity's class with exactly its properties, leaving the row's other columns out", () => {
    const shippedAt = new Date();
    const parcel = PARCEL.toEntity({ id: 'p-1', orderId: 'o-1', shippedAt, deliveryDate: null, lines: [{ sku: 'A' }] });
    expect(parcel).toBeInstanceOf(Parcel);
    expect(parcel.label()).toBe('o-1/p-1');
    expect(parcel).toStrictEqual(Object.assign(new Parcel(), { id: 'p-1', orderId: 'o-1', shippedAt, deliveryDate: null }));
    expect(parcel.shippedAt).toBe(shippedAt);
  });

  it('reads the columns of a prefix (two entities in one row)', () => {
    const row = { id: 'other', 'parcel.id': 'p-2', 'parcel.orderId': 'o-2', 'parcel.shippedAt': null, 'parcel.deliveryDate': '2030-01-15' };
    expect(PARCEL.toEntity(row, 'parcel.')).toStrictEqual(Object.assign(new Parcel(), { id: 'p-2', orderId: 'o-2', shippedAt: null, deliveryDate: '2030-01-15' }));
  });

  it('refuses a row selected with another list (a missing column is a defect, not undefined)', () => {
    expect(() => PARCEL.toEntity({ id: 'p-1', order_id: 'o-1', shippedAt: null, deliveryDate: null })).toThrow('Parcel: the row has no column "orderId"');
  });

  it('takes only a column name with an optional cast, and a plain alias and prefix', () => {
    expect(() => entityColumns(Parcel, { id: 'id', orderId: 'order_id; DROP TABLE parcel', shippedAt: 'shipped_at', deliveryDate: 'delivery_date' })).toThrow(
      /Parcel.orderId: 'order_id; DROP TABLE parcel' is not a column name/,
    );
    expect(() => entityColumns(Parcel, { id: 'id', orderId: 'upper(order_id)', shippedAt: 'shipped_at', deliveryDate: 'delivery_date' })).toThrow(/Parcel.orderId/);
    expect(() => PARCEL.listOf('p p')).toThrow(/not a table alias/);
    expect(() => PARCEL.listOf('p', 'x"')).toThrow(/not a column prefix/);
  });

  it('is checked by the compiler: every data property needs its column, and only those', () => {
    // @ts-expect-error deliveryDate has no column
    expect(() => entityColumns(Parcel, { id: 'id', orderId: 'order_id', shippedAt: 'shipped_at' })).not.toThrow();
    // @ts-expect-error label is a method, not a column
    expect(() => entityColumns(Parcel, { id: 'id', orderId: 'order_id', shippedAt: 'shipped_at', deliveryDate: 'delivery_date', label: 'label' })).not.toThrow();
  });
});
