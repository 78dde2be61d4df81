import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Where an order's saga stands. States: `reviewing`, `awaiting_review`, `reserving`, `backordered`,
 * `releasing`, `fulfilling`, `awaiting_delivery`, `cancelling` (waiting) and `completed`,
 * `rejected`, `cancelled` (terminal).
 */
export type SagaState =
  | 'reviewing'
  | 'awaiting_review'
  | 'reserving'
  | 'backordered'
  | 'releasing'
  | 'cancelling'
  | 'fulfilling'
  | 'awaiting_delivery'
  | 'completed'
  | 'rejected'
  | 'cancelled';

export const TERMINAL_SAGA_STATES: readonly SagaState[] = ['completed', 'rejected', 'cancelled'];

/** A compensation step: not needed, sent and waiting for its reply, or done. */
export type CompensationStep = 'skipped' | 'pending' | 'done';

/** A cancellation under way (saga state `cancelling`): why, and where its compensation stands. */
export interface Cancellation {
  code: string;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  /** After compensating: cancel the order, or reserve again (a backorder whose reservation expired). */
  then: 'cancel' | 'reserve_again';
  /** The state the saga was in when the cancellation started. */
  from: SagaState;
  notes: CompensationStep;
  stock: CompensationStep;
  /** The reservations to release; absent: all of the order's (and any reserve still on its way). */
  releaseIds?: string[];
  /** Notes that had shipped before the cancellation reached the warehouse. */
  shippedNotes?: string[];
}

/** What the saga remembers between steps (jsonb). */
export interface SagaData {
  /** Outbound notes the order will have, over all batches (one per warehouse and batch). */
  expectedNotes?: number;
  /** The current reservation attempt (1 once reserving started; more after an expiry). */
  reserveAttempt?: number;
  /** A create-outbound-notes command was sent (cancellation must cancel notes). */
  notesRequested?: boolean;
  /** The note batches requested so far. */
  notesSent?: number[];
  /** Inventory holds part of the order in its backorder queue. */
  backorderOpen?: boolean;
  backorderDeadline?: string | null;
  /** A release of a partial order's backordered rest is on its way (reason sent with it). */
  restRelease?: string | null;
  /** Refunded so far (decimal string). */
  refunded?: string;
  /** Re-sends of the command the saga waits on in its current state. */
  resends?: number;
  /** The saga kept failing to compensate or to get an answer: shown to operators. */
  stuck?: boolean;
  cancellation?: Cancellation;
}

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
  data: SagaData;

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
