import { Inject, Injectable } from '@nestjs/common';
import type { Candidate, PrismaClient } from '@akd/db';
import { PRISMA } from '../tokens.js';

/** A candidate with the fields of its experiment that the leaderboard shows. */
export type RankedCandidate = Candidate & {
  experiment: { id: string; name: string; teacherId: string | null; searchSpace: unknown };
};

@Injectable()
export class LeaderboardRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /** Returns completed candidates of the dataset's experiments, best proxy accuracy first. */
  rank(
    filter: { datasetId: string; teacherId: string | null; maxLatencyMs: number | null },
    take: number,
  ): Promise<RankedCandidate[]> {
    return this.prisma.candidate.findMany({
      where: {
        status: 'completed',
        proxyAccuracy: { not: null },
        latencyMs: filter.maxLatencyMs === null ? { not: null } : { not: null, lte: filter.maxLatencyMs },
        experiment: {
          datasetId: filter.datasetId,
          ...(filter.teacherId ? { teacherId: filter.teacherId } : {}),
        },
      },
      include: { experiment: { select: { id: true, name: true, teacherId: true, searchSpace: true } } },
      orderBy: [{ proxyAccuracy: 'desc' }, { latencyMs: 'asc' }, { id: 'asc' }],
      take,
    });
  }
}
