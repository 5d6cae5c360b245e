import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient, Worker } from '@akd/db';
import { PRISMA } from '../tokens.js';

@Injectable()
export class WorkersRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /** Returns the workers, most recent heartbeat first; with `since`, only those that beat after it. */
  list(since: Date | null): Promise<Worker[]> {
    return this.prisma.worker.findMany({
      where: since === null ? {} : { heartbeatAt: { gte: since } },
      orderBy: { heartbeatAt: 'desc' },
    });
  }
}
