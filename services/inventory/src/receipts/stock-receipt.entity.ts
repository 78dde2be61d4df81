import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Goods received into a warehouse; each line raised on-hand stock through a `receipt` movement. */
@Entity({ name: 'stock_receipt' })
export class StockReceipt {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  warehouse: string;

  /** The sender's document (delivery note, purchase order), if given. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  reference: string | null;

  /** The API key that recorded it. */
  @Column({ name: 'received_by', type: 'text' })
  receivedBy: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;
}

@Entity({ name: 'stock_receipt_line' })
export class StockReceiptLine {
  @PrimaryColumn({ name: 'receipt_id', type: 'uuid' })
  receiptId: string;

  @PrimaryColumn({ name: 'line_no', type: 'integer' })
  lineNo: number;

  @Column({ type: 'varchar', length: 64 })
  sku: string;

  @Column({ type: 'integer' })
  quantity: number;
}
