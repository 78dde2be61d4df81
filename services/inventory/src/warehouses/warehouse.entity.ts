import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Warehouses a new receipt has not met before get this priority. */
export const DEFAULT_WAREHOUSE_PRIORITY = 100;

/** A place that holds stock. Reservations take from the lowest priority first, ties by code. */
@Entity({ name: 'warehouse' })
export class Warehouse {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  code: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name: string | null;

  @Column({ type: 'integer' })
  priority: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
