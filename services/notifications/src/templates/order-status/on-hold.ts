import { greet, type OrderStatusTemplate } from './order-status-view.js';

// The hold reason stays internal (credit limits, price checks): the customer only learns there is a check.
export const onHold: OrderStatusTemplate = (order) => ({
  subject: `Your order ${order.externalId} is being reviewed`,
  greeting: greet(order),
  blocks: [
    `Your order ${order.externalId} needs a short manual review before we can confirm it.`,
    'There is nothing you need to do; we will write again once the review is done.',
  ],
});
