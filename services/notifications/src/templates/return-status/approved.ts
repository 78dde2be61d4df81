import { greet, type ReturnStatusTemplate } from './return-status-view.js';

export const approved: ReturnStatusTemplate = (view) => ({
  subject: `Your return ${view.rmaNumber} has been approved`,
  greeting: greet(view),
  blocks: [
    `Your return request ${view.rmaNumber} for order ${view.externalId} has been approved.`,
    `Please send the items back and write the return number ${view.rmaNumber} clearly on the parcel.`,
  ],
});
