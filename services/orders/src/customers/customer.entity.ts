import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A platform's customer, as far as credit goes. Each platform chooses its customer ids, so a
 * customer is (platform, customer id): `cust-1` of one platform is not `cust-1` of another.
 */
@Entity('customer')
export class CustomerEntity {
  @PrimaryColumn('text', { name: 'tenant_id' })
  tenantId: string;

  @PrimaryColumn('text', { name: 'customer_id' })
  customerId: string;

  /** null: no credit limit set, no credit check. */
  @Column('numeric', { name: 'credit_limit', precision: 14, scale: 4, nullable: true })
  creditLimit: string | null;

  /** The limit's currency (ISO 4217); null exactly when there is no limit. */
  @Column('char', { length: 3, nullable: true })
  currency: string | null;

  /** When staff last set (or removed) the limit; null when only a credit check created the row. */
  @Column('timestamptz', { name: 'updated_at', nullable: true })
  updatedAt: Date | null;
}
