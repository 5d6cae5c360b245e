import type { PrismaClient } from '@akd/db';
import { describeGenome, type Genome, type SearchSpace } from '@akd/search-space';

/** One row of a leaderboard: a scored candidate of an experiment. */
export interface LeaderboardEntry {
  candidateId: string;
  genomeHash: string;
  architecture: string;
  accuracy: number;
  latencyMs: number;
  params: number;
  flops: number;
  reward: number;
}

/** Returns the `limit` best completed candidates of an experiment by reward. */
export async function experimentLeaderboard(
  prisma: PrismaClient,
  experimentId: string,
  limit = 5,
): Promise<LeaderboardEntry[]> {
  const experiment = await prisma.experiment.findUniqueOrThrow({
    where: { id: experimentId },
    select: { searchSpace: true },
  });
  const space = experiment.searchSpace as unknown as SearchSpace;
  const rows = await prisma.candidate.findMany({
    where: { experimentId, status: 'completed', reward: { not: null } },
    orderBy: [{ reward: 'desc' }, { id: 'asc' }],
    take: limit,
  });
  return rows.map((row) => ({
    candidateId: row.id,
    genomeHash: row.genomeHash,
    architecture: describeGenome(space, row.genome as unknown as Genome),
    accuracy: row.proxyAccuracy ?? 0,
    latencyMs: row.latencyMs ?? 0,
    params: Number(row.params),
    flops: Number(row.flops),
    reward: row.reward ?? 0,
  }));
}
