import { fileURLToPath } from 'node:url';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { printSchema } from 'graphql';
import { format, resolveConfig } from 'prettier';
import type { PrismaClient } from '@akd/db';
import { createApiApp } from './app.js';
import { configFromEnv } from './config.js';
import type { JobQueue } from './jobs/job-queue.js';

/** The committed SDL file that `schema.test.ts` compares the code-first schema with. */
export const SCHEMA_FILE = fileURLToPath(new URL('../schema.graphql', import.meta.url));

/** Command that rewrites {@link SCHEMA_FILE} from the code. */
export const REGENERATE_COMMAND = 'npx tsx apps/api/src/write-schema.ts';

const unusedQueue: JobQueue = {
  enqueueSearch: () => Promise.reject(new Error('unused')),
  enqueueTeacherTraining: () => Promise.reject(new Error('unused')),
  enqueueFinalTraining: () => Promise.reject(new Error('unused')),
  enqueueStudyCell: () => Promise.reject(new Error('unused')),
  queueDepth: () => Promise.resolve({}),
  stop: () => Promise.resolve(),
};

/**
 * Builds the application without a database or queue (building the schema queries neither) and
 * returns its GraphQL schema as SDL, types sorted by name, formatted by Prettier with the
 * repository settings so that `npm run lint` accepts the committed file.
 */
export async function generateSchemaSdl(): Promise<string> {
  const app = await createApiApp({
    prisma: {} as PrismaClient,
    // The pool connects on the first query, and building the schema runs none.
    databaseUrl: 'postgresql://unused',
    queue: unusedQueue,
    config: configFromEnv({}),
  });
  try {
    const sdl = printSchema(app.get(GraphQLSchemaHost).schema);
    const options = (await resolveConfig(SCHEMA_FILE)) ?? {};
    return format(sdl, { ...options, parser: 'graphql' });
  } finally {
    await app.close();
  }
}
