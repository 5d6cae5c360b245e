import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { HttpMetricsService } from './metrics.service.js';

/**
 * Returns the route pattern of a request (e.g. `/api/models/:id/download`), so that the label set
 * stays small. Requests that matched no route share the label `unmatched`.
 */
function routeLabel(request: Request): string {
  const route = (request.route as { path?: unknown } | undefined)?.path;
  if (typeof route === 'string') return (request.baseUrl ?? '') + route;
  if (request.originalUrl.split('?')[0] === '/graphql') return '/graphql';
  return 'unmatched';
}

/** Express middleware that counts every HTTP request when its response finishes. */
export function requestCounter(metrics: HttpMetricsService): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    response.on('finish', () => metrics.record(request.method, routeLabel(request), response.statusCode));
    next();
  };
}
