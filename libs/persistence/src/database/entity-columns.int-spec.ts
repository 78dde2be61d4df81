import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { createScratchDatabase, type ScratchDatabase } from '../testing/scratch-database.js';
import { postgresDataSourceOptions } from './data-source-options.js';
import { entityColumns } from './entity-columns.js';

/** One column of each type the services' entities read, as TypeORM maps them. */
@Entity({ name: 'sample' })
class Sample {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ type: 'bigint' }) seq: string;
  @Column({ type: 'integer' }) quantity: number;
  @Column({ name: 'unit_price', type: 'numeric', precision: 14, scale: 4 }) unitPrice: string;
  @Column({ type: 'boolean' }) sellable: boolean;
  @Column({ type: 'char', length: 3 }) currency: string;
  @Column({ type: 'jsonb' }) lines: Array<{ sku: string; quantity: number }>;
  @Column({ type: 'jsonb', nullable: true }) extra: Record<string, unknown> | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true }) settledAt: Date | null;
  @Column({ name: 'delivery_date', type: 'date', nullable: true }) deliveryDate: string | null;
}

const SAMPLE = entityColumns(Sample, {
  id: 'id',
  seq: 'seq',
  quantity: 'quantity',
  unitPrice: 'unit_price',
  sellable: 'sellable',
  currency: 'currency',
  lines: 'lines',
  extra: 'extra',
  createdAt: 'created_at',
  settledAt: 'settled_at',
  deliveryDate: 'delivery_date::text',
});

describe('entityColumns: rows read in plain SQL equal TypeORM hydration (real PostgreSQL)', () => {
  let database: ScratchDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createScratchDatabase('entity_columns');
    dataSource = new DataSource(postgresDataSourceOptions({ url: database.url, applicationName: 'entity-columns-spec', poolSize: 2, entities: [Sample] }));
    await dataSource.initialize();
    await dataSource.query(`
      CREATE TABLE sample (
        id uuid PRIMARY KEY, seq bigint NOT NULL, quantity integer NOT NULL, unit_price numeric(14,4) NOT NULL, sellable boolean NOT NULL,
        currency char(3) NOT NULL, lines jsonb NOT NULL, extra jsonb, created_at timestamptz NOT NULL, settled_at timestamptz, delivery_date date)`);
    await dataSource.query(
      `INSERT INTO sample VALUES
         ('00000000-0000-4000-8000-000000000001', 9007199254740993, 3, 129.9, true, 'EUR', '[{"sku":"A","quantity":2}]', '{"a":{"b":[1,null]}}', now(), now(), '2030-01-15'),
         ('00000000-0000-4000-8000-000000000002', 1, 0, 0, false, 'JPY', '[]', NULL, '2026-01-01T23:30:00Z', NULL, NULL)`,
    );
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('gives the same instances, property for property and type for type', async () => {
    const rows: object[] = await dataSource.query(`SELECT ${SAMPLE.list} FROM sample ORDER BY id`);
    const read = rows.map((row) => SAMPLE.toEntity(row));
    const hydrated = await dataSource.getRepository(Sample).find({ order: { id: 'ASC' } });
    expect(read).toStrictEqual(hydrated);
    // What pg alone would get wrong without the helper's rules: bigint past 2^53, numeric's scale, a date at local midnight.
    expect(read[0].seq).toBe('9007199254740993');
    expect(read[0].unitPrice).toBe('129.9000');
    expect(read[0].deliveryDate).toBe('2030-01-15');
    expect(read[1].createdAt).toEqual(new Date('2026-01-01T23:30:00Z'));
  });

  it('reads two entities of one row by prefix (a join), the columns qualified', async () => {
    const [row]: object[] = await dataSource.query(
      `SELECT ${SAMPLE.listOf('a', 'first.')}, ${SAMPLE.listOf('b', 'second.')}
         FROM sample a JOIN sample b ON b.id <> a.id WHERE a.id = '00000000-0000-4000-8000-000000000001'`,
    );
    const [first, second] = await dataSource.getRepository(Sample).find({ order: { id: 'ASC' } });
    expect(SAMPLE.toEntity(row, 'first.')).toStrictEqual(first);
    expect(SAMPLE.toEntity(row, 'second.')).toStrictEqual(second);
  });
});
