import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class CancelOrderDto {
  @ApiProperty({ example: 'customer changed their mind', description: 'Why; kept in the status history and told to the customer' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

export class CancellationAcceptedDto {
  @ApiProperty({ format: 'uuid' }) id: string;

  @ApiProperty({ example: 'picking', description: 'The status now: `cancelled` when nothing had to be undone, else the status it keeps until compensation ends' })
  status: string;

  @ApiProperty({ enum: ['cancelled', 'compensating'], description: '`compensating`: outbound notes and reservations are being undone; the order becomes `cancelled` (see GET /v1/orders/{id} and webhooks)' })
  cancellation: 'cancelled' | 'compensating';
}
