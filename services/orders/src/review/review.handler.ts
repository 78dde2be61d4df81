import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ReviewOrderV1, type ReviewOrder } from '@skald/contracts';
import { OnMessage, type MessageContext } from '@skald/messaging';
import { messageSender } from '../saga/senders.js';
import { ReviewService } from './review.service.js';

@Controller()
export class ReviewHandler {
  constructor(private readonly reviews: ReviewService) {}

  @OnMessage(ReviewOrderV1)
  async onReviewOrder(@Payload() command: ReviewOrder, @Ctx() context: MessageContext): Promise<void> {
    await this.reviews.review(context.manager, command.orderId, messageSender(context), {
      type: ReviewOrderV1.routingKey,
      id: context.envelope.id,
    });
  }
}
