import { greet, type ReturnStatusTemplate } from './return-status-view.js';

export const refunded: ReturnStatusTemplate = (view) => ({
  subject: `Your refund for return ${view.rmaNumber}`,
  greeting: greet(view),
  blocks: [
    view.refund
      ? `We have refunded ${view.refund.amount} ${view.refund.currency} for your return ${view.rmaNumber} (order ${view.externalId}).`
      : `We have refunded your return ${view.rmaNumber} (order ${view.externalId}).`,
    'The money goes back to the payment method you used; it may take a few days to show on your statement.',
  ],
});
