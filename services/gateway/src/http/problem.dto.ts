import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ProblemFieldDto {
  @ApiProperty({ example: 'lines.0.quantity' })
  field: string;

  @ApiProperty({ example: 'quantity must not be less than 1' })
  message: string;
}

/** RFC 9457 problem details, as every error of the API is answered (`application/problem+json`). */
export class ProblemDto {
  @ApiProperty({ example: 'https://skald.dev/problems/validation-failed' })
  type: string;

  @ApiProperty({ example: 'Bad Request' })
  title: string;

  @ApiProperty({ example: 400 })
  status: number;

  @ApiProperty({ description: 'Stable, machine-readable error code.', example: 'VALIDATION_FAILED' })
  code: string;

  @ApiPropertyOptional({ example: 'The request is invalid; see errors.' })
  detail?: string;

  @ApiPropertyOptional({ example: '/v1/orders' })
  instance?: string;

  @ApiPropertyOptional({ type: [ProblemFieldDto], description: 'The failing fields (VALIDATION_FAILED).' })
  errors?: ProblemFieldDto[];
}
