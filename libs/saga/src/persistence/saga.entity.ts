import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { SagaMechanismData } from '../definition/deadlines.js';

/**
 * One saga: its type (`order`, `return`), state, version (optimistic concurrency), deadline and
 * data. The id is the saga's subject (the order's, the return's id) and the correlation id of
 * every message it causes. The same table in every service that runs a saga.
 */
@Entity('saga')
export class SagaEntity<S extends string = string, D extends SagaMechanismData = SagaMechanismData> {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  type: string;

  @Column('text')
  state: S;

  @Column('int')
  version: number;

  /** When the state's wait is over (acted on by the saga's scheduler); null in a terminal state. */
  @Column('timestamptz', { name: 'deadline_at', nullable: true })
  deadlineAt: Date | null;

  @Column('jsonb')
  data: D;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}

export type SagaStepKind = 'command_sent' | 'event_sent' | 'message_received' | 'state_changed' | 'timeout' | 'compensation';

/** The saga's log: every command sent, message received, state change, timeout and compensation, with time, message id and reason. */
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

  /** The W3C trace id the step ran under, when one was active. */
  @Column('text', { name: 'trace_id', nullable: true })
  traceId: string | null;
}

/** The entities a service running sagas adds to its data source. */
export const sagaEntities = [SagaEntity, SagaStepEntity];
