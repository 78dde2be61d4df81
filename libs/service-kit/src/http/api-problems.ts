import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem-details.filter.js';

export class ProblemFieldDto {
  @ApiProperty({ example: 'lines.0.quantity' })
  field: string;

  @ApiProperty({ example: 'quantity must not be less than 1' })
  message: string;
}

/**
 * RFC 9457 problem details, as every Skald service answers errors (`application/problem+json`,
 * see ProblemDetailsFilter). Codes may add extension members (e.g. the SKUs concerned).
 */
export class ProblemDto {
  @ApiProperty({ example: 'https://skald.dev/problems/validation-failed' })
  type: string;

  @ApiProperty({ example: 'Bad Request' })
  title: string;

  @ApiProperty({ type: 'integer', example: 400 })
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

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (VALIDATION_FAILED lists the fields)',
  401: 'No authenticated caller (UNAUTHENTICATED)',
  403: 'The caller may not use this operation (FORBIDDEN)',
  404: 'Not found',
  409: 'Conflict with the current state (stable code in `code`)',
  422: 'Refused (stable code in `code`)',
};

/** Documents an operation's error answers as problem+json; `described` overrides the descriptions. */
export function ApiProblems(statuses: number[], described: Record<number, string> = {}) {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: described[status] ?? DESCRIPTIONS[status] ?? 'Error',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
}
