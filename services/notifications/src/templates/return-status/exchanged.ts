import { greet, type ReturnStatusTemplate } from './return-status-view.js';

export const exchanged: ReturnStatusTemplate = (view) => ({
  subject: `A replacement for your return ${view.rmaNumber} is on its way`,
  greeting: greet(view),
  blocks: [
    `A replacement for the items of your return ${view.rmaNumber} (order ${view.externalId}) is on its way to you.`,
    'You will get the shipping details of the replacement in a separate e-mail.',
  ],
});
