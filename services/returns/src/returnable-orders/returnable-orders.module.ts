import { Module } from '@nestjs/common';
import { ReturnableOrderEntity, ReturnableOrderLineEntity } from './returnable-order.entity.js';
import { ReturnableOrdersHandler } from './returnable-orders.handler.js';

export const returnableOrderEntities = [ReturnableOrderEntity, ReturnableOrderLineEntity];

/** Returns' replica of orders (lines, prices, shipped units, delivery), kept from events. */
@Module({ controllers: [ReturnableOrdersHandler] })
export class ReturnableOrdersModule {}
