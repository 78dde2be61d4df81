import { greet, reasonBlocks, type ReturnStatusTemplate } from './return-status-view.js';

export const rejected: ReturnStatusTemplate = (view) => ({
  subject: `We could not accept your return request ${view.rmaNumber}`,
  greeting: greet(view),
  blocks: [
    `We are sorry: we could not accept your return request ${view.rmaNumber} for order ${view.externalId}.`,
    ...reasonBlocks(view),
    'Please do not send the items back. Contact us if you have any questions.',
  ],
});
