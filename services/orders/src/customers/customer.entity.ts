import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A customer's credit: a customer may order through several platforms, so the id is global. */
@Entity('customer')
export class CustomerEntity {
  @PrimaryColumn('text')
  id: string;

  /** null: no credit limit set, no credit check. */
  @Column('numeric', { name: 'credit_limit', precision: 14, scale: 4, nullable: true })
  creditLimit: string | null;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}
