/** The data properties of an entity class (its methods left out). */
export type EntityProperties<E> = { [K in keyof E]-?: E[K] extends (...args: never[]) => unknown ? never : K }[keyof E] & string;

/**
 * Each property of the entity with the column it is read from: a column name, or a column name
 * with a cast (`requested_delivery_date::text`). Every property must be named, so an entity that
 * gains a property no longer compiles until its column is added here.
 */
export type ColumnsOf<E> = { readonly [K in EntityProperties<E>]: string };

/** How the rows of plain-SQL statements on one table become its entities (see entityColumns). */
export interface EntityColumns<E> {
  /** The select list (or RETURNING list): every column named as its property, e.g. `order_id AS "orderId"`. */
  readonly list: string;
  /**
   * The select list with the table's columns qualified with `alias` (a join), each named `prefix` +
   * its property (`r.order_id AS "released.orderId"`): two entities' columns in one row.
   */
  listOf(alias: string, prefix?: string): string;
  /**
   * The entity (an instance of its class) of a row selected with `list`, or with `listOf(…, prefix)`
   * and the same prefix. Only the entity's properties are taken; other columns of the row are left out.
   * @throws Error when the row lacks one of them (selected with another list: a defect).
   */
  toEntity(row: object, prefix?: string): E;
}

const COLUMN = /^[a-z_][a-z0-9_]*(::[a-z_][a-z0-9_ ]*(\[\])?)?$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/**
 * The one way a plain-SQL statement's rows become entities: the statement names each column as
 * its entity's property (`list`), so a row is the entity's values already and `toEntity` only
 * puts them into an instance of the class (what TypeORM's hydration gives; a later `save` knows
 * its entity). Used where a hot path reads in plain SQL rather than through TypeORM's query
 * builder, whose building and hydration cost more CPU than the statement itself.
 *
 * No value is converted in JavaScript: pg's parsing of each column's type must be what the entity
 * declares, as it is for TypeORM — int → number, boolean, text, uuid, jsonb/json → parsed value,
 * timestamptz → Date, numeric and bigint → string (their entities type them as strings). Where pg's
 * parsing differs from TypeORM's, the conversion is a cast in the column, explicit and done by
 * PostgreSQL: a `date` column is `…::text` (pg would make it a Date at local midnight; TypeORM
 * gives the 'YYYY-MM-DD' string).
 *
 * @param Entity the entity class (instantiated without arguments, as TypeORM does)
 * @param columns each property's column, in the entity's order
 * @throws Error when a column is not a plain column name with an optional cast
 */
export function entityColumns<E extends object>(Entity: new () => E, columns: ColumnsOf<E>): EntityColumns<E> {
  const pairs = Object.entries(columns as Record<string, string>);
  for (const [property, column] of pairs) {
    if (!COLUMN.test(column)) throw new Error(`${Entity.name}.${property}: '${column}' is not a column name with an optional cast`);
  }
  const properties = pairs.map(([property]) => property);
  const listOf = (alias: string, prefix = ''): string => {
    if (alias !== '' && !NAME.test(alias)) throw new Error(`not a table alias: '${alias}'`);
    if (prefix !== '' && !NAME.test(prefix)) throw new Error(`not a column prefix: '${prefix}'`);
    const qualifier = alias === '' ? '' : `${alias}.`;
    return pairs.map(([property, column]) => `${qualifier}${column} AS "${prefix}${property}"`).join(', ');
  };
  return {
    list: listOf(''),
    listOf,
    toEntity(row: object, prefix = ''): E {
      const values = row as Record<string, unknown>;
      const entity = new Entity() as Record<string, unknown>;
      for (const property of properties) {
        const name = prefix + property;
        if (!(name in values)) throw new Error(`${Entity.name}: the row has no column "${name}" (select it with the entity's column list)`);
        entity[property] = values[name];
      }
      return entity as E;
    },
  };
}
