import { Injectable, type NestMiddleware } from '@nestjs/common';
import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import type { IncomingMessage, ServerResponse } from 'node:http';

type RoutedRequest = IncomingMessage & { route?: { path?: string }; baseUrl?: string };

/**
 * Names a request's server span after its route (`POST /v1/orders/:id/cancel`, attribute
 * `http.route`), never the raw URL. The HTTP instrumentation reads the route from the request's
 * RPC metadata when the response finishes; the route is known only once Nest's router matched,
 * so it is read then. This replaces the Express and Nest instrumentations: Express's would need the
 * ESM loader hook (a loader thread, ~18 MB per service on Node 20), Nest's does not support Nest 12.
 */
@Injectable()
export class HttpRouteMiddleware implements NestMiddleware {
  use(req: RoutedRequest, _res: ServerResponse, next: () => void): void {
    const metadata = getRPCMetadata(context.active());
    if (metadata?.type === RPCType.HTTP) {
      Object.defineProperty(metadata, 'route', {
        configurable: true,
        enumerable: true,
        get: () => (req.route?.path ? `${req.baseUrl ?? ''}${req.route.path}` : undefined),
      });
    }
    next();
  }
}
