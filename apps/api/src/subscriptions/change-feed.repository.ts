import { Inject, Injectable } from '@nestjs/common';
import type { Candidate, Experiment, PrismaClient } from '@akd/db';
import { PRISMA } from '../tokens.js';

@Injectable()
export class ChangeFeedRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  experiments(ids: readonly string[]): Promise<Experiment[]> {
    return this.prisma.experiment.findMany({ where: { id: { in: [...ids] } } });
  }

  /** Returns candidates of these experiments that completed or failed and were updated at or after `since`. */
  finishedCandidates(experimentIds: readonly string[], since: Date): Promise<Candidate[]> {
    return this.prisma.candidate.findMany({
      where: {
        experimentId: { in: [...experimentIds] },
        status: { in: ['completed', 'failed'] },
        updatedAt: { gte: since },
      },
      orderBy: [{ updatedAt: 'asc' }, { id: 'asc' }],
    });
  }
}
