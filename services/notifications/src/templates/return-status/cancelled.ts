import { greet, reasonBlocks, type ReturnStatusTemplate } from './return-status-view.js';

export const cancelled: ReturnStatusTemplate = (view) => ({
  subject: `Your return ${view.rmaNumber} has been cancelled`,
  greeting: greet(view),
  blocks: [
    `Your return request ${view.rmaNumber} for order ${view.externalId} has been cancelled.`,
    ...reasonBlocks(view),
    'If you have sent the items already, please contact us.',
  ],
});
