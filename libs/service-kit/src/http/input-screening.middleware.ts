import { BadRequestException, Injectable, UnsupportedMediaTypeException, type NestMiddleware } from '@nestjs/common';
import { findHostileInput, type InputProblem } from '@skald/contracts';
import type { Request, Response } from 'express';

/** The 400 every screening refusal answers, in the shape of the validation pipe's. */
export function hostileInputException(problem: InputProblem): BadRequestException {
  return new BadRequestException({ code: 'VALIDATION_FAILED', detail: 'The request is invalid; see errors.', errors: [problem] });
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Screens every request before guards, interceptors and pipes see it: a body that is not JSON is
 * a 415, and a body or query with a control character, a lone surrogate or JSON nested deeper
 * than MAX_JSON_DEPTH is a 400 naming the field. Hostile text would otherwise reach PostgreSQL
 * (which refuses NUL, and lone surrogates in jsonb) and answer 500; deep nesting would reach
 * the recursive walks of class-transformer and the idempotency hash.
 */
@Injectable()
export class InputScreeningMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: () => void): void {
    if (hasBody(req) && !req.is('application/json')) {
      throw new UnsupportedMediaTypeException({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        detail: `The body must be application/json, not ${req.headers['content-type'] ?? 'untyped'}.`,
      });
    }
    const problem = findHostileInput(req.body) ?? findHostileInput(req.query);
    if (problem) throw hostileInputException(problem);
    next();
  }
}
