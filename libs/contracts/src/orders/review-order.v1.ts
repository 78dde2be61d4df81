import { IsNotEmpty, IsString } from 'class-validator';
import { defineCommand } from '../registry/message-definition.js';

export class ReviewOrder {
  @IsString()
  @IsNotEmpty()
  orderId: string;
}

export const ReviewOrderV1 = defineCommand({
  type: 'orders.review-order',
  version: 1,
  owner: 'orders',
  summary: 'Run the automatic review of a received order (sent by orders to itself, so intake never waits on review).',
  payload: ReviewOrder,
});
