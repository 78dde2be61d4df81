import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import { SkaldError } from '@skald/contracts';
import { databaseFailureOf } from '@skald/persistence';
import type { Request, Response } from 'express';

/** RFC 9457 problem details, with Skald's stable `code` and, for validation, the failing fields. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  errors?: Array<{ field: string; message: string }>;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'TOO_MANY_REQUESTS',
  503: 'UNAVAILABLE',
};

/** Maps a stable error code to an HTTP status; unknown codes are 422 (the request was understood but refused). */
export type ErrorStatusMap = Record<string, number>;

/** Stable code of a 503 for an unreachable (or not answering) database. */
export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';
/** Seconds a client is asked to wait (`Retry-After`) before trying again after a 503. */
export const SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

function problemType(code: string): string {
  return `https://skald.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}

/** PostgreSQL's SQLSTATEs for a value it cannot store, and how they are answered. */
const DATABASE_REFUSALS: Record<string, { status: number; code: string; detail: string }> = {
  // numeric_value_out_of_range: a number beyond its column (numeric precision, integer).
  '22003': { status: 422, code: 'AMOUNT_OUT_OF_RANGE', detail: 'A number in the request is beyond what can be stored.' },
  // character_not_in_repertoire (NUL in text), untranslatable_character (NUL or a lone surrogate in jsonb).
  '22021': { status: 400, code: 'VALIDATION_FAILED', detail: 'The request has text that cannot be stored (a control character or malformed Unicode).' },
  '22P05': { status: 400, code: 'VALIDATION_FAILED', detail: 'The request has text that cannot be stored (a control character or malformed Unicode).' },
};

/** The safety net behind validation: a PostgreSQL error saying the input itself cannot be stored. */
function refusedByDatabase(exception: unknown): { status: number; code: string; detail: string } | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { code, driverError } = exception as { code?: unknown; driverError?: { code?: unknown } };
  const sqlState = typeof driverError?.code === 'string' ? driverError.code : code;
  return typeof sqlState === 'string' ? DATABASE_REFUSALS[sqlState] : undefined;
}

/**
 * Answers every HTTP error as `application/problem+json` with a stable `code`. A SkaldError keeps
 * its code (status from the service's map); an HttpException gets a code from its status; a
 * database that cannot be reached or does not answer in time is a 503 SERVICE_UNAVAILABLE with
 * `Retry-After` (the request may succeed later; nothing was changed); a PostgreSQL refusal of
 * the input's values (a number beyond its column, NUL in text) is 422 AMOUNT_OUT_OF_RANGE or 400,
 * in case a validation is missing; anything else is logged and becomes an opaque 500.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  constructor(private readonly statuses: ErrorStatusMap = {}) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const problem = this.toProblem(exception);
    problem.instance = req.originalUrl ?? req.url;
    // Every 503 is temporary by definition: tell the client when to come back.
    if (problem.status === 503 && !res.getHeader('Retry-After')) res.setHeader('Retry-After', String(SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS));
    res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof SkaldError) {
      const status = this.statuses[exception.code] ?? HttpStatus.UNPROCESSABLE_ENTITY;
      // Details are extension members; they never override the standard ones.
      return {
        ...(exception.details ?? {}),
        type: problemType(exception.code),
        title: TITLES[status] ?? 'Error',
        status,
        detail: exception.message,
        code: exception.code,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const fromBody = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
      const code = typeof fromBody.code === 'string' ? fromBody.code : (CODES[status] ?? `HTTP_${status}`);
      const detail = typeof fromBody.detail === 'string' ? fromBody.detail : typeof body === 'string' ? body : exception.message;
      const problem: ProblemDetails = { type: problemType(code), title: TITLES[status] ?? exception.name, status, detail, code };
      if (Array.isArray(fromBody.errors)) problem.errors = fromBody.errors as ProblemDetails['errors'];
      // A failed health check (terminus) says which of its checks failed: the operator needs that.
      if (typeof fromBody.details === 'object' && fromBody.details !== null) problem.checks = fromBody.details;
      return problem;
    }
    const database = databaseFailureOf(exception);
    if (database) {
      // An outage, not a bug: one line, no stack. The transaction rolled back (or never began).
      this.logger.warn(`database ${database === 'timeout' ? 'did not answer in time' : 'unreachable'}: ${(exception as Error).message}`);
      return {
        type: problemType(SERVICE_UNAVAILABLE),
        title: TITLES[503],
        status: 503,
        detail: 'The service cannot reach its database right now; nothing was changed. Try again shortly.',
        code: SERVICE_UNAVAILABLE,
      };
    }
    const refused = refusedByDatabase(exception);
    if (refused) {
      // A value the database cannot hold is bad input that got past validation: the client's
      // fault (4xx), but logged as a warning because a check is missing.
      this.logger.warn(`input refused by the database (a validation is missing): ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`);
      return { type: problemType(refused.code), title: TITLES[refused.status], status: refused.status, detail: refused.detail, code: refused.code };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return {
      type: problemType('INTERNAL_ERROR'),
      title: TITLES[500],
      status: 500,
      detail: 'An unexpected error occurred; it has been logged.',
      code: 'INTERNAL_ERROR',
    };
  }
}
