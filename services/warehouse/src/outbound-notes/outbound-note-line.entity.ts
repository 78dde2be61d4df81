import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A line of an outbound note, in the order the command listed it. */
@Entity({ name: 'outbound_note_line' })
export class OutboundNoteLine {
  @PrimaryColumn({ type: 'uuid', name: 'note_id' })
  noteId: string;

  @PrimaryColumn({ type: 'integer', name: 'line_no' })
  lineNo: number;

  @Column({ type: 'text' })
  sku: string;

  @Column({ type: 'integer' })
  quantity: number;
}
