import { greet, type ReturnStatusTemplate } from './return-status-view.js';

export const requested: ReturnStatusTemplate = (view) => ({
  subject: `We received your return request ${view.rmaNumber}`,
  greeting: greet(view),
  blocks: [
    `We received your return request ${view.rmaNumber} for order ${view.externalId}.`,
    'We will write to you again as soon as it has been reviewed. Please quote the return number whenever you contact us.',
  ],
});
