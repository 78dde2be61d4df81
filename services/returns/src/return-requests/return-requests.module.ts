import { Module } from '@nestjs/common';
import { ReturnPolicyModule } from '../return-policy/return-policy.module.js';
import { ReturnSagaModule } from '../return-saga/return-saga.module.js';
import { ReturnLineEntity, ReturnRequestEntity } from './return-request.entity.js';
import { ReturnRequestsController } from './return-requests.controller.js';
import { ReturnRequestsService } from './return-requests.service.js';

export const returnRequestEntities = [ReturnRequestEntity, ReturnLineEntity];

export const returnErrorStatuses = {
  RETURN_NOT_FOUND: 404,
  RETURN_ORDER_NOT_FOUND: 404,
  RETURN_WINDOW_CLOSED: 422,
  RETURN_QUANTITY_EXCEEDED: 422,
  SKU_NOT_RETURNABLE: 422,
  RETURN_NOT_AWAITING_REVIEW: 409,
  RETURN_NOT_CANCELLABLE: 409,
  RETURN_NOT_RECEIVABLE: 409,
  RETURN_NOT_INSPECTABLE: 409,
  RETURN_INSPECTION_MISMATCH: 422,
};

@Module({ imports: [ReturnPolicyModule, ReturnSagaModule], controllers: [ReturnRequestsController], providers: [ReturnRequestsService] })
export class ReturnRequestsModule {}
