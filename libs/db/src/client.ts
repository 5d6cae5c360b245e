import { PrismaPg } from '@prisma/adapter-pg';

import { PrismaClient } from './generated/prisma/client.js';

export interface PrismaClientOptions {
  /** Maximum number of pooled connections. node-postgres defaults to 10. */
  maxConnections?: number;
}

/** Creates a Prisma client that runs its queries through node-postgres (`@prisma/adapter-pg`). */
export function createPrismaClient(url: string, options: PrismaClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString: url, max: options.maxConnections });
  return new PrismaClient({ adapter });
}
