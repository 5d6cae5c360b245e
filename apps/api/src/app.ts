import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule, type ApiDependencies } from './app.module.js';
import { NestLogger } from './nest-logger.js';
import { HttpMetricsService } from './observability/metrics.service.js';
import { requestCounter } from './observability/request-metrics.middleware.js';

export type { ApiDependencies } from './app.module.js';

/**
 * Builds and initialises the API application (GraphQL at /graphql, REST under /api, /health and
 * /metrics) without listening. The caller listens and closes it.
 */
export async function createApiApp(dependencies: ApiDependencies): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(dependencies), {
    logger: new NestLogger(),
    abortOnError: false,
  });
  app.use(requestCounter(app.get(HttpMetricsService)));
  app.disable('x-powered-by');
  // // Express would hash every response body for an ETag. Clients do not revalidate GraphQL POST
  // replies, so the hash would be wasted work.
  app.disable('etag');
  // Parameter and FLOP counts are bigints; REST replies send them as decimal strings, like GraphQL.
  app.set('json replacer', (_key: string, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value,
  );
  await app.init();
  return app;
}
