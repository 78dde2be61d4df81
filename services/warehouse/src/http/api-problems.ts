import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

export class ProblemFieldDto {
  @ApiProperty({ example: 'carrier' })
  field: string;

  @ApiProperty({ example: 'carrier should not be empty' })
  message: string;
}

/** RFC 9457 problem details as every Skald service answers errors (see ProblemDetailsFilter). */
export class ProblemDto {
  @ApiProperty({ example: 'https://skald.dev/problems/note-status-conflict' })
  type: string;

  @ApiProperty({ example: 'Conflict' })
  title: string;

  @ApiProperty({ example: 409 })
  status: number;

  @ApiPropertyOptional()
  detail?: string;

  @ApiPropertyOptional({ example: '/v1/outbound-notes/0b6c2f43-55a4-4ad4-9cf5-5d29f1d0f4b1/pick' })
  instance?: string;

  @ApiProperty({ description: 'Stable error code', example: 'NOTE_STATUS_CONFLICT' })
  code: string;

  @ApiPropertyOptional({ type: [ProblemFieldDto], description: 'The failing fields (VALIDATION_FAILED)' })
  errors?: ProblemFieldDto[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (VALIDATION_FAILED lists the fields)',
  401: 'No authenticated caller (UNAUTHENTICATED)',
  403: 'The caller may not use this operation (FORBIDDEN)',
};

/** Documents error responses as application/problem+json; `described` overrides the descriptions. */
export function ApiProblems(statuses: number[], described: Record<number, string> = {}) {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: described[status] ?? DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
}
