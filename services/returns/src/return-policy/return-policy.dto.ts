import { ApiProperty } from '@nestjs/swagger';
import { MAX_ORDER_AMOUNT } from '@skald/contracts';
import { outOfRange } from '@skald/service-kit';
import { ArrayMaxSize, IsArray, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class PlatformIdParams {
  @ApiProperty({ description: 'The platform (tenant) id' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'platformId is a platform id' })
  platformId: string;
}

/** PUT body: the whole policy (absent fields take the defaults: 30 days, no review, 100 %). */
export class ReturnPolicyBody {
  @ApiProperty({ required: false, default: 30, minimum: 0, maximum: 365 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  windowDays?: number;

  @ApiProperty({ required: false, type: [String], description: 'Reason codes that always go to a reviewer' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  @Matches(/^[A-Z0-9_]+$/, { each: true, message: 'reviewReasons are reason codes (A-Z, 0-9, _)' })
  reviewReasons?: string[];

  @ApiProperty({ required: false, nullable: true, description: 'Returns worth more than this go to a reviewer (the order currency)' })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 4, allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(MAX_ORDER_AMOUNT, outOfRange())
  reviewAbove?: number | null;

  @ApiProperty({ required: false, default: 100, minimum: 0, maximum: 100 })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  scrapRefundPercent?: number;
}

export class ReturnPolicyView {
  @ApiProperty() platformId: string;
  @ApiProperty() windowDays: number;
  @ApiProperty({ type: [String] }) reviewReasons: string[];
  @ApiProperty({ nullable: true, type: String }) reviewAbove: string | null;
  @ApiProperty() scrapRefundPercent: number;
  @ApiProperty({ description: 'true while the platform has no policy of its own (the defaults apply)' }) isDefault: boolean;
}
