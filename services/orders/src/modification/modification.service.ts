import { BadRequestException, Injectable } from '@nestjs/common';
import { ReviewOrderV1, SkaldError, fromUnits, lineTotal, toUnits } from '@skald/contracts';
import { Outbox } from '@skald/messaging';
import { accepts } from '@skald/saga';
import type { Caller } from '@skald/service-kit';
import type { EntityManager } from 'typeorm';
import type { OrderAcceptedDto } from '../intake/place-order.dto.js';
import type { OrderLineEntity } from '../orders/order-line.entity.js';
import { OrdersRepository } from '../orders/orders.repository.js';
import { withRecipient } from '../orders/shipping-address.js';
import { visibleTo } from '../orders/visibility.js';
import { ORDER_REQUESTS, ORDER_SAGA } from '../saga/order-saga.definition.js';
import { OrderSagaStore } from '../saga/order-saga.store.js';
import { SagaSteps } from '../saga/saga-steps.js';
import { requestSender } from '../saga/senders.js';
import { minorUnitProblems } from '../shared/amount-bounds.js';
import type { ModifyOrderDto } from './modify-order.dto.js';

/**
 * `PATCH /v1/orders/{id}`: lines, quantities and the address may change while the order is
 * `received` or `on_hold` (nothing reserved yet); the order goes back to `received` and is
 * reviewed again. Once approved (locked) the answer is ORDER_LOCKED. A review already on its way
 * reads the new lines; its duplicate is ignored by the saga.
 */
@Injectable()
export class ModificationService {
  constructor(
    private readonly outbox: Outbox,
    private readonly orders: OrdersRepository,
    private readonly sagas: OrderSagaStore,
    private readonly steps: SagaSteps,
  ) {}

  async modify(manager: EntityManager, caller: Caller, id: string, change: ModifyOrderDto): Promise<OrderAcceptedDto> {
    if (!change.lines && !change.shippingAddress) {
      throw new BadRequestException({
        code: 'VALIDATION_FAILED',
        detail: 'Nothing to change: give lines, shippingAddress or both.',
        errors: [{ field: 'lines', message: 'lines or shippingAddress is required' }],
      });
    }
    const order = await this.orders.lock(manager, id);
    if (!order || !visibleTo(caller, order)) throw new SkaldError('ORDER_NOT_FOUND', `no order ${id}`, { retryable: false });
    // Bad input is a 400 whatever the order's state; the currency is the order's.
    const inMinorUnits = minorUnitProblems(order.currency, (change.lines ?? []).map((line, index) => [`lines.${index}.unitPrice`, line.unitPrice]));
    if (inMinorUnits.length > 0) {
      throw new BadRequestException({ code: 'VALIDATION_FAILED', detail: `Prices are in whole minor units of the order's currency ${order.currency}.`, errors: inMinorUnits });
    }
    const saga = await this.sagas.lock(manager, id);
    const open = (order.status === 'received' || order.status === 'on_hold') && saga !== null && accepts(ORDER_SAGA, saga.state, ORDER_REQUESTS.modified);
    if (!saga || !open) {
      throw new SkaldError('ORDER_LOCKED', `order ${id} is ${order.status}: it can be changed only while received or on hold`, {
        retryable: false,
        details: { status: order.status },
      });
    }
    const changed: string[] = [];
    if (change.lines) {
      const lines: OrderLineEntity[] = change.lines.map((line, index) => ({
        orderId: id,
        lineNo: index + 1,
        sku: line.sku,
        quantity: line.quantity,
        unitPrice: fromUnits(toUnits(line.unitPrice)),
        cancelledQuantity: 0,
      }));
      await this.orders.replaceLines(manager, order, lines, lineTotal(lines));
      changed.push('lines');
    }
    if (change.shippingAddress) {
      await this.orders.saveAddress(manager, order, withRecipient(change.shippingAddress, order.customer));
      changed.push('shippingAddress');
    }
    await this.orders.saveReview(manager, order, null);
    const send = requestSender(this.outbox, manager, order);
    const step = { order, saga };
    await this.steps.moveTo(manager, step, 'received', 'reviewing', `MODIFIED by ${caller.principalId}: ${changed.join(', ')}; reviewed again`, send, { type: ORDER_REQUESTS.modified, id: null });
    await this.steps.command(manager, saga, send, ReviewOrderV1, { orderId: id });
    return { id, status: order.status, externalId: order.externalId };
  }
}
