import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** RFC 9457 problem details as every Skald service answers errors (application/problem+json). */
export class ProblemDto {
  @ApiProperty({ example: 'https://skald.dev/problems/validation-failed' })
  type: string;

  @ApiProperty({ example: 'Bad Request' })
  title: string;

  @ApiProperty({ example: 400 })
  status: number;

  @ApiPropertyOptional()
  detail?: string;

  @ApiPropertyOptional()
  instance?: string;

  @ApiProperty({ description: 'Stable error code.', example: 'VALIDATION_FAILED' })
  code: string;
}
