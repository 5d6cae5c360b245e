import { Inject, Injectable } from '@nestjs/common';
import type { Candidate, DistillationMethod, Experiment, PrismaClient, Teacher, TrainedModel } from '@akd/db';
import { PRISMA } from '../tokens.js';

/** The candidate columns that the structure analysis reads. */
export type StructureCandidate = Pick<
  Candidate,
  | 'id'
  | 'experimentId'
  | 'generation'
  | 'genome'
  | 'status'
  | 'reward'
  | 'proxyAccuracy'
  | 'flops'
  | 'latencyMs'
>;

/** A completed candidate's scores, and the teacher and signal of its search. */
export interface CandidateScore {
  id: string;
  experimentId: string;
  genomeHash: string;
  proxyAccuracy: number;
  latencyMs: number;
  /** Teacher of the search; null for a hard-label search. */
  teacherId: string | null;
}

/** A candidate with the experiment columns that the teacher comparisons read. */
export type CandidateWithExperiment = Candidate & {
  experiment: Pick<Experiment, 'id' | 'searchSpace' | 'proxySettings' | 'teacherId' | 'searchBy'>;
};

/** A trained model with the genome hash and experiment of its candidate. */
export type TrainedModelOfGenome = TrainedModel & { candidate: { genomeHash: string } | null };

/** A hard-label candidate with the proxy settings of its experiment. */
export type HardLabelCandidate = Pick<Candidate, 'id' | 'genomeHash' | 'proxyAccuracy'> & {
  experiment: Pick<Experiment, 'proxySettings'>;
};

const SCORED = { status: 'completed', proxyAccuracy: { not: null }, latencyMs: { not: null } } as const;

/** The queries of the analyses; none of them writes. */
@Injectable()
export class AnalysisRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  experimentsByIds(ids: readonly string[]): Promise<Experiment[]> {
    return this.prisma.experiment.findMany({ where: { id: { in: [...ids] } } });
  }

  /** Returns every candidate of the experiments, by generation and id. */
  structureCandidates(experimentIds: readonly string[]): Promise<StructureCandidate[]> {
    return this.prisma.candidate.findMany({
      where: { experimentId: { in: [...experimentIds] } },
      select: {
        id: true,
        experimentId: true,
        generation: true,
        genome: true,
        status: true,
        reward: true,
        proxyAccuracy: true,
        flops: true,
        latencyMs: true,
      },
      orderBy: [{ generation: 'asc' }, { id: 'asc' }],
    });
  }

  /**
   * Returns the completed models with a test accuracy that were trained with `method` from
   * candidates of the experiment that have a proxy accuracy, newest first.
   */
  finalModelsOfExperiment(
    experimentId: string,
    method: DistillationMethod,
  ): Promise<(TrainedModel & { candidate: Candidate | null })[]> {
    return this.prisma.trainedModel.findMany({
      where: {
        method,
        status: 'completed',
        testTop1: { not: null },
        candidate: { experimentId, proxyAccuracy: { not: null } },
      },
      include: { candidate: true },
      orderBy: { id: 'desc' },
    });
  }

  /** Returns the teachers of the dataset that are ready or that some experiment distills from, by name. */
  teachersOfDataset(datasetId: string): Promise<Teacher[]> {
    return this.prisma.teacher.findMany({
      where: { datasetId, OR: [{ status: 'ready' }, { experiments: { some: {} } }] },
      orderBy: { name: 'asc' },
    });
  }

  /**
   * Returns the completed candidates with accuracy and latency of every experiment on the dataset,
   * at or below `maxLatencyMs` when it is given.
   *
   * NOTE: this loads a few columns of every such candidate on each request, which is fine for
   * thousands of candidates; much larger datasets would need the ranking done in SQL.
   */
  async candidateScores(datasetId: string, maxLatencyMs: number | null): Promise<CandidateScore[]> {
    const rows = await this.prisma.candidate.findMany({
      where: {
        ...SCORED,
        ...(maxLatencyMs === null ? {} : { latencyMs: { not: null, lte: maxLatencyMs } }),
        experiment: { datasetId },
      },
      select: {
        id: true,
        experimentId: true,
        genomeHash: true,
        proxyAccuracy: true,
        latencyMs: true,
        experiment: { select: { teacherId: true, searchBy: true } },
      },
      orderBy: { id: 'asc' },
    });
    return rows.map((row) => ({
      id: row.id,
      experimentId: row.experimentId,
      genomeHash: row.genomeHash,
      proxyAccuracy: row.proxyAccuracy as number,
      latencyMs: row.latencyMs as number,
      teacherId: row.experiment.searchBy === 'distillation' ? row.experiment.teacherId : null,
    }));
  }

  candidatesByIds(ids: readonly string[]): Promise<CandidateWithExperiment[]> {
    return this.prisma.candidate.findMany({
      where: { id: { in: [...ids] } },
      include: {
        experiment: {
          select: { id: true, searchSpace: true, proxySettings: true, teacherId: true, searchBy: true },
        },
      },
    });
  }

  /** Returns the completed models with a test accuracy of these candidates, newest first. */
  finalModelsOfCandidates(candidateIds: readonly string[]): Promise<TrainedModel[]> {
    return this.prisma.trainedModel.findMany({
      where: { candidateId: { in: [...candidateIds] }, status: 'completed', testTop1: { not: null } },
      orderBy: { id: 'desc' },
    });
  }

  /**
   * Returns the completed hard-label models with a test accuracy whose candidate, in an experiment
   * on the dataset, has one of these genome hashes, newest first.
   */
  hardLabelModelsOfGenomes(
    datasetId: string,
    genomeHashes: readonly string[],
  ): Promise<TrainedModelOfGenome[]> {
    return this.prisma.trainedModel.findMany({
      where: {
        method: 'hard_label',
        status: 'completed',
        testTop1: { not: null },
        candidate: { genomeHash: { in: [...genomeHashes] }, experiment: { datasetId } },
      },
      include: { candidate: { select: { genomeHash: true } } },
      orderBy: { id: 'desc' },
    });
  }

  /** Returns the scored candidates of hard-label searches on the dataset with one of these genome hashes. */
  hardLabelCandidatesOfGenomes(
    datasetId: string,
    genomeHashes: readonly string[],
  ): Promise<HardLabelCandidate[]> {
    return this.prisma.candidate.findMany({
      where: {
        ...SCORED,
        genomeHash: { in: [...genomeHashes] },
        experiment: { datasetId, searchBy: 'hard_label' },
      },
      select: {
        id: true,
        genomeHash: true,
        proxyAccuracy: true,
        experiment: { select: { proxySettings: true } },
      },
      orderBy: { id: 'asc' },
    });
  }
}
