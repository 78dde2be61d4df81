import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Where an order's saga stands. States: `reviewing`, `awaiting_review`, `reserving`, `releasing`,
 * `fulfilling`, `awaiting_delivery` (waiting) and `completed`, `rejected`, `cancelled` (terminal).
 */
export type SagaState =
  | 'reviewing'
  | 'awaiting_review'
  | 'reserving'
  | 'releasing'
  | 'fulfilling'
  | 'awaiting_delivery'
  | 'completed'
  | 'rejected'
  | 'cancelled';

export const TERMINAL_SAGA_STATES: readonly SagaState[] = ['completed', 'rejected', 'cancelled'];

@Entity('order_saga')
export class OrderSagaEntity {
  /** The saga is the order's: same id, and the correlation id of every message it causes. */
  @PrimaryColumn('uuid', { name: 'order_id' })
  orderId: string;

  @Column('text')
  state: SagaState;

  @Column('int')
  version: number;

  /** When a waiting state gives up (acted on by the saga scheduler). */
  @Column('timestamptz', { name: 'deadline_at', nullable: true })
  deadlineAt: Date | null;

  @Column('jsonb')
  data: Record<string, string | number | boolean | null>;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}

export type SagaStepKind = 'command_sent' | 'event_sent' | 'message_received' | 'state_changed' | 'timeout' | 'compensation';

/** The saga's log: every command sent, reply received, state change, with time and message id. */
@Entity('saga_step')
export class SagaStepEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('uuid', { name: 'saga_id' })
  sagaId: string;

  @Column('timestamptz', { default: () => 'clock_timestamp()' })
  at: Date;

  @Column('text')
  kind: SagaStepKind;

  @Column('text', { name: 'message_type', nullable: true })
  messageType: string | null;

  @Column('uuid', { name: 'message_id', nullable: true })
  messageId: string | null;

  @Column('text', { name: 'from_state', nullable: true })
  fromState: string | null;

  @Column('text', { name: 'to_state', nullable: true })
  toState: string | null;

  @Column('text', { nullable: true })
  reason: string | null;
}
