import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * `sent`: accepted by the receiver; `failed`: refused or unreachable, may be retried; `rejected`: refused
 * for good; `expired`: the replica sending it stopped before recording an outcome (it may have been sent).
 */
export const ATTEMPT_OUTCOMES = ['sent', 'failed', 'rejected', 'expired'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** One try to send a delivery. */
@Entity('delivery_attempt')
export class DeliveryAttempt {
  @PrimaryColumn({ name: 'delivery_id', type: 'uuid' })
  deliveryId: string;

  @PrimaryColumn({ type: 'integer' })
  attempt: number;

  /** When the attempt started. */
  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ name: 'duration_ms', type: 'integer', nullable: true })
  durationMs: number | null;

  @Column({ type: 'text' })
  outcome: AttemptOutcome;

  /** SMTP reply, HTTP status and the start of the body, or the error. */
  @Column({ type: 'text', nullable: true })
  detail: string | null;

  /** When the next attempt was scheduled, after a retryable failure. */
  @Column({ name: 'retry_at', type: 'timestamptz', nullable: true })
  retryAt: Date | null;
}
