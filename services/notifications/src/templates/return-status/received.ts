import { greet, type ReturnStatusTemplate } from './return-status-view.js';

export const received: ReturnStatusTemplate = (view) => ({
  subject: `Your returned items for ${view.rmaNumber} have arrived`,
  greeting: greet(view),
  blocks: [
    `The items you sent back under return ${view.rmaNumber} (order ${view.externalId}) have arrived at our warehouse.`,
    'We are checking them now and will write to you when your refund or replacement is on its way.',
  ],
});
