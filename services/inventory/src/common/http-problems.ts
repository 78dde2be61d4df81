import { applyDecorators, HttpStatus, NotFoundException } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '@skald/service-kit';

export class FieldErrorDto {
  @ApiProperty({ example: 'lines.0.quantity' })
  field: string;

  @ApiProperty({ example: 'quantity must not be less than 1' })
  message: string;
}

/** RFC 9457 problem details as every Skald service answers errors (see ProblemDetailsFilter). */
export class ProblemDto {
  @ApiProperty({ example: 'https://skald.dev/problems/validation-failed' })
  type: string;

  @ApiProperty({ example: 'Bad Request' })
  title: string;

  @ApiProperty({ type: 'integer', example: 400 })
  status: number;

  @ApiPropertyOptional()
  detail?: string;

  @ApiPropertyOptional({ example: '/v1/stock/receipts' })
  instance?: string;

  @ApiProperty({ description: 'Stable error code', example: 'VALIDATION_FAILED' })
  code: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'The failing fields (VALIDATION_FAILED)' })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional({ type: [String], description: 'The SKUs concerned (SKU_UNKNOWN on a receipt)' })
  skus?: string[];
}

const DESCRIPTIONS: Partial<Record<number, string>> = {
  [HttpStatus.BAD_REQUEST]: 'Invalid input (code VALIDATION_FAILED lists the fields)',
  [HttpStatus.UNAUTHORIZED]: 'No authenticated caller',
  [HttpStatus.FORBIDDEN]: 'The caller may not use this operation',
  [HttpStatus.NOT_FOUND]: 'Unknown SKU (code SKU_UNKNOWN)',
  [HttpStatus.UNPROCESSABLE_ENTITY]: 'Refused (stable code in `code`)',
};

/** Documents the problem+json answers of an operation. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
}

/** 404 SKU_UNKNOWN: a read of an SKU that is not in the catalog. */
export function skuUnknown(sku: string): NotFoundException {
  return new NotFoundException({ code: 'SKU_UNKNOWN', detail: `SKU ${sku} is not in the catalog.` });
}
