import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SAGA_LIST_STATES, type SagaListState } from '@skald/contracts';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { PageQuery } from '../../http/page-query.dto.js';
import { DATE_TIME_PATTERN } from '../../http/validation.js';

/** An order's or a return's id (the saga's correlation id), or a return's RMA number. */
export const SAGA_REF_PATTERN = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|RMA-\d{4}-\d{6,})$/;
export const RMA_PATTERN = /^RMA-\d{4}-\d{6,}$/;

export class SagaRefParams {
  @ApiProperty({
    description: "An order's id, a return's id, or a return's RMA number (`RMA-2026-000123`).",
    pattern: SAGA_REF_PATTERN.source,
    example: 'RMA-2026-000123',
  })
  @Matches(SAGA_REF_PATTERN, { message: 'ref must be an order or return id (uuid) or an RMA number (RMA-2026-000123)' })
  ref: string;
}

export class ListSagasQuery extends PageQuery {
  @ApiProperty({
    enum: SAGA_LIST_STATES,
    description:
      '`stuck`: past their deadline (by more than a minute) or marked stuck by the scheduler; `compensating`: undoing what they did; `failed`: with dead letters.',
  })
  @IsIn(SAGA_LIST_STATES)
  state: SagaListState;

  @ApiPropertyOptional({ description: 'Only sagas that changed (failed: got a dead letter) at or after this time.', example: '2026-12-07T00:00:00Z' })
  @IsOptional()
  @Matches(DATE_TIME_PATTERN, { message: 'since must be a date-time with a time zone (2026-12-07T00:00:00Z)' })
  // The pattern checks the form, this the calendar (no 2026-02-30T25:00Z).
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'since must be a date-time that exists' })
  since?: string;
}
