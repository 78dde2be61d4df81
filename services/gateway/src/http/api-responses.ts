import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiResponse } from '@nestjs/swagger';
import { ProblemDto } from '@skald/service-kit';

/** The answers of a route the gateway forwards, besides the owning service's own. */
export function ForwardedResponses() {
  return applyDecorators(
    ApiBadRequestResponse({ description: 'Invalid input (VALIDATION_FAILED, with the failing fields); nothing was forwarded.', type: ProblemDto }),
    ApiResponse({ status: 502, description: 'The owning service answered something that is not JSON (UPSTREAM_BAD_RESPONSE).', type: ProblemDto }),
    ApiResponse({ status: 503, description: 'The owning service is unreachable (UPSTREAM_UNAVAILABLE), or it or the gateway cannot reach its database (SERVICE_UNAVAILABLE); retry after Retry-After.', type: ProblemDto }),
    ApiResponse({ status: 504, description: 'The owning service did not answer in time (UPSTREAM_TIMEOUT); retry later.', type: ProblemDto }),
  );
}
