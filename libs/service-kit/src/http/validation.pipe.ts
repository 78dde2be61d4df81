import { BadRequestException, HttpException, UnprocessableEntityException, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import type { ValidationOptions } from 'class-validator';
import { findHostileInput } from '@skald/contracts';
import { hostileInputException } from './input-screening.middleware.js';

/** The code of a quantity, price or total outside its bounds: the request is well-formed but refused (422). */
export const AMOUNT_OUT_OF_RANGE = 'AMOUNT_OUT_OF_RANGE';

/**
 * Validation options for the upper bound of a quantity, price or total
 * (`@Max(1_000_000, outOfRange())`): when only such bounds fail, the answer is 422
 * `AMOUNT_OUT_OF_RANGE` instead of 400 `VALIDATION_FAILED`, at the gateway and at the owning
 * service alike. (A negative amount or a zero quantity is malformed rather than too large: 400.)
 */
export function outOfRange(options: ValidationOptions = {}): ValidationOptions {
  return { ...options, context: { ...(options.context as object | undefined), code: AMOUNT_OUT_OF_RANGE } };
}

interface FieldError {
  field: string;
  message: string;
  outOfRange: boolean;
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      message,
      outOfRange: (error.contexts?.[constraint] as { code?: string } | undefined)?.code === AMOUNT_OUT_OF_RANGE,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Validates every HTTP body, query and param against its DTO class. Unknown fields are refused,
 * and a 400 problem lists each failing field; if the only failures are bounds marked with
 * `outOfRange()`, a 422 AMOUNT_OUT_OF_RANGE lists them. Path parameters are screened for control
 * characters first, as the InputScreeningMiddleware screens bodies and queries.
 */
class SkaldValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'param') {
      const problem = findHostileInput(value, { field: metadata.data });
      if (problem) throw hostileInputException(problem);
    }
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (error instanceof HttpException) throw error;
      // A validator or transformer that throws on odd input (class-validator's maxDecimalPlaces
      // on 1e-7) is refusing the input, not failing the service.
      throw new BadRequestException({ code: 'VALIDATION_FAILED', detail: `The request could not be validated: ${(error as Error).message}` });
    }
  }
}

/** The global pipe of every Skald service (SkaldServiceModule installs it): see SkaldValidationPipe. */
export function createValidationPipe(): ValidationPipe {
  return new SkaldValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const list = fields.map(({ field, message }) => ({ field, message }));
      if (fields.length > 0 && fields.every((error) => error.outOfRange)) {
        return new UnprocessableEntityException({
          code: AMOUNT_OUT_OF_RANGE,
          detail: 'A quantity, price or total is outside its bounds; see errors.',
          errors: list,
        });
      }
      return new BadRequestException({ code: 'VALIDATION_FAILED', detail: 'The request is invalid; see errors.', errors: list });
    },
  });
}
