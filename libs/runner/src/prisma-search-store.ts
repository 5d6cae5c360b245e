import { AkdError } from '@akd/core';
import { Prisma, type PrismaClient } from '@akd/db';
import type {
  CandidateError,
  CandidateRecord,
  EvaluationResult,
  GenerationSnapshot,
  GenerationStats,
  ProposedGenome,
  SearchCheckpoint,
  SearchStore,
} from '@akd/search';
import { countFlops, countParams, type Genome, type SearchSpace } from '@akd/search-space';

type CandidateRow = Prisma.CandidateGetPayload<object>;

/**
 * Limits of the interactive transaction that writes a generation. Prisma's 5 s default is too
 * short when every core is busy training and several searches start at once.
 */
const TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 120_000 };
type LatencyModelKey = 'table' | 'measured' | 'flops';

function toJson(value: unknown): Prisma.InputJsonValue {
  return value as Prisma.InputJsonValue;
}

function toRecord(row: CandidateRow): CandidateRecord {
  // A candidate in training counts as pending: the loop scores it again after a crash.
  let status: CandidateRecord['status'] = 'pending';
  if (row.status === 'completed' || row.status === 'failed') status = row.status;
  return {
    id: row.id,
    hash: row.genomeHash,
    genome: row.genome as unknown as Genome,
    generation: row.generation,
    status,
    result: status === 'completed' ? (row.metrics as unknown as EvaluationResult) : null,
    reward: row.reward,
    error: status === 'failed' ? { name: 'Error', message: row.error ?? 'unknown error' } : null,
  };
}

/** Column values of a candidate completed with `result` and `reward`. */
export function completedCandidateData(
  result: EvaluationResult,
  reward: number,
): Prisma.CandidateUpdateManyMutationInput {
  return {
    status: 'completed',
    proxyAccuracy: result.accuracy,
    proxyTop5: typeof result.top5 === 'number' ? result.top5 : null,
    latencyMs: result.latencyMs,
    reward,
    metrics: toJson(result),
    trainMs: typeof result.trainMs === 'number' ? Math.round(result.trainMs) : null,
    backend: typeof result.backend === 'string' ? result.backend : null,
    error: null,
    finishedAt: new Date(),
  };
}

/**
 * {@link SearchStore} of one experiment in Postgres. The checkpoint is stored in
 * `experiments.strategy_state`. A generation's proposals and candidates are written in one
 * transaction, and so are its completion and the next checkpoint, so a crash never applies a
 * strategy update twice. The unique key (experiment, genome hash) keeps one candidate per
 * architecture.
 */
export class PrismaSearchStore implements SearchStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly experimentId: string,
    private readonly space: SearchSpace,
    private readonly latencyModel: LatencyModelKey,
  ) {}

  async loadCheckpoint(): Promise<SearchCheckpoint | null> {
    const experiment = await this.prisma.experiment.findUniqueOrThrow({
      where: { id: this.experimentId },
      select: { strategyState: true },
    });
    return (experiment.strategyState as unknown as SearchCheckpoint | null) ?? null;
  }

  async saveCheckpoint(checkpoint: SearchCheckpoint): Promise<void> {
    const updated = await this.prisma.experiment.updateMany({
      where: { id: this.experimentId, strategyState: { equals: Prisma.DbNull } },
      data: { strategyState: toJson(checkpoint) },
    });
    if (updated.count !== 1) {
      throw new AkdError('CONFLICT', `Experiment ${this.experimentId} already has a search checkpoint.`);
    }
  }

  async loadGeneration(index: number): Promise<GenerationSnapshot | null> {
    const generation = await this.prisma.generation.findUnique({
      where: { experimentId_index: { experimentId: this.experimentId, index } },
    });
    if (!generation?.proposals) return null;
    const candidateIds = generation.candidateIds as string[];
    const rows = await this.prisma.candidate.findMany({ where: { id: { in: [...new Set(candidateIds)] } } });
    return {
      generation: {
        index,
        genomes: generation.proposals as unknown as Genome[],
        candidateIds,
        rngState: generation.rngState as number[],
        status: generation.status === 'completed' ? 'completed' : 'open',
        stats: (generation.stats as unknown as GenerationStats | null) ?? null,
      },
      candidates: rows.map(toRecord),
    };
  }

  async beginGeneration(
    index: number,
    genomes: readonly ProposedGenome[],
    rngState: readonly number[],
  ): Promise<GenerationSnapshot> {
    await this.prisma.$transaction(async (tx) => {
      const ids: string[] = [];
      for (const { hash, genome } of genomes) {
        const row = await tx.candidate.upsert({
          where: { experimentId_genomeHash: { experimentId: this.experimentId, genomeHash: hash } },
          update: {},
          create: {
            experimentId: this.experimentId,
            generation: index,
            genome: toJson(genome),
            genomeHash: hash,
            params: BigInt(countParams(this.space, genome)),
            flops: BigInt(countFlops(this.space, genome)),
            latencyModel: this.latencyModel,
          },
          select: { id: true },
        });
        ids.push(row.id);
      }
      await tx.generation.create({
        data: {
          experimentId: this.experimentId,
          index,
          status: 'running',
          proposals: toJson(genomes.map((g) => g.genome)),
          candidateIds: toJson(ids),
          rngState: toJson(rngState),
        },
      });
    }, TRANSACTION_OPTIONS);
    const snapshot = await this.loadGeneration(index);
    if (!snapshot) throw new AkdError('INTERNAL', `Generation ${index} vanished right after it was written.`);
    return snapshot;
  }

  async completeCandidate(candidateId: string, result: EvaluationResult, reward: number): Promise<void> {
    await this.prisma.candidate.update({
      where: { id: candidateId },
      data: completedCandidateData(result, reward),
    });
  }

  async failCandidate(candidateId: string, error: CandidateError): Promise<void> {
    await this.prisma.candidate.update({
      where: { id: candidateId },
      data: { status: 'failed', error: error.message, finishedAt: new Date() },
    });
  }

  async completeGeneration(
    index: number,
    stats: GenerationStats,
    checkpoint: SearchCheckpoint,
  ): Promise<void> {
    const generation = await this.prisma.generation.findUniqueOrThrow({
      where: { experimentId_index: { experimentId: this.experimentId, index } },
      select: { candidateIds: true },
    });
    const rows = await this.prisma.candidate.findMany({
      where: { id: { in: (generation.candidateIds as string[] | null) ?? [] }, status: 'completed' },
      select: { reward: true, proxyAccuracy: true },
    });
    const rewards = rows.map((r) => r.reward ?? 0);
    const accuracies = rows.map((r) => r.proxyAccuracy ?? 0);
    const mean = (values: number[]): number | null =>
      values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
    const entropy = 'meanEntropy' in stats.strategy ? (stats.strategy.meanEntropy as number) : null;
    await this.prisma.$transaction([
      this.prisma.generation.update({
        where: { experimentId_index: { experimentId: this.experimentId, index } },
        data: {
          status: 'completed',
          stats: toJson(stats),
          rewardMean: stats.meanReward,
          rewardMax: stats.maxReward,
          rewardMin: rewards.length ? Math.min(...rewards) : null,
          accuracyMean: mean(accuracies),
          entropy,
          strategyMetrics: toJson(stats.strategy),
        },
      }),
      this.prisma.experiment.update({
        where: { id: this.experimentId },
        data: { strategyState: toJson(checkpoint) },
      }),
    ]);
  }

  async listCandidates(): Promise<CandidateRecord[]> {
    const rows = await this.prisma.candidate.findMany({
      where: { experimentId: this.experimentId },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map(toRecord);
  }
}
