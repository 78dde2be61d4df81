import { Inject, Injectable } from '@nestjs/common';
import { SagaStore, type RetryPolicy } from '@skald/saga';
import { SERVICE_CONFIG } from '@skald/service-kit';
import type { ReturnsConfig } from '../config/returns-config.js';
import { RETURN_SAGA, returnSagaDeadline, type ReturnSagaData, type ReturnSagaState } from './return-saga.definition.js';

const HOUR = 3_600_000;

/** The return sagas (rows of type `return` in `saga`, with their step log), timed by the service's configuration. */
@Injectable()
export class ReturnSagaStore extends SagaStore<ReturnSagaState, ReturnSagaData> {
  readonly retry: RetryPolicy;

  constructor(@Inject(SERVICE_CONFIG) config: ReturnsConfig) {
    const timeouts = {
      review: config.RETURN_REVIEW_DUE_HOURS * HOUR,
      goods: config.RETURN_GOODS_TIMEOUT_DAYS * 24 * HOUR,
      inspection: config.RETURN_INSPECTION_DUE_HOURS * HOUR,
      reply: config.SAGA_REPLY_TIMEOUT_MS,
      replacement: config.RETURN_GOODS_TIMEOUT_DAYS * 24 * HOUR,
    };
    super(RETURN_SAGA, (state, data, now) => returnSagaDeadline(timeouts, state, data, now));
    this.retry = { replyTimeoutMs: config.SAGA_REPLY_TIMEOUT_MS, maxResends: config.SAGA_MAX_RESENDS };
  }
}
