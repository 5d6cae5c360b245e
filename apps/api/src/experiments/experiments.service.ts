import { Inject, Injectable } from '@nestjs/common';
import { AkdError, Logger } from '@akd/core';
import {
  toEnumKey,
  type Candidate,
  type Prisma,
  type CandidateStatus,
  type Experiment,
  type ExperimentStatus,
  type Generation,
  type TrainedModel,
} from '@akd/db';
import {
  decodeExperiment,
  resolveFinalTrainingSettings,
  type ExperimentSettings,
  type FinalTrainingMethod,
  type FinalTrainingSettings,
} from '@akd/runner';
import type { StrategySpec } from '@akd/search';
import type { Genome, SearchSpace } from '@akd/search-space';
import { checkId } from '../common/ids.js';
import { DistillationMethodValue, SearchByValue } from '../common/enums.js';
import { checkPageSize, decodeCursor, toPage, type Page } from '../common/pagination.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { toFinalTrainingInput } from '../trained-models/dto/final-training-settings.input.js';
import { JOB_QUEUE } from '../tokens.js';
import {
  CreateExperimentInput,
  KdSettingsInput,
  ProxySettingsInput,
  RewardInput,
} from './dto/create-experiment.input.js';
import {
  CandidateOrderValue,
  CandidatesArgs,
  ExperimentsArgs,
  MAX_TOP_K,
  TrainFinalModelsArgs,
} from './dto/experiments.args.js';
import { ExperimentsRepository } from './experiments.repository.js';
import { paretoFront } from './pareto.js';

/** Candidate counts of an experiment. */
export interface ExperimentProgress {
  budget: number;
  completed: number;
  failed: number;
  inProgress: number;
}

/** Statuses from which each lifecycle mutation may move an experiment. */
const ALLOWED_FROM = {
  start: ['queued', 'failed'],
  pause: ['queued', 'running'],
  resume: ['paused'],
  cancel: ['queued', 'running', 'paused', 'failed'],
  delete: ['paused', 'completed', 'failed', 'cancelled'],
} as const satisfies Record<string, readonly ExperimentStatus[]>;

type Transition = keyof typeof ALLOWED_FROM;

const METHODS_WITH_TEACHER: readonly DistillationMethodValue[] = [
  DistillationMethodValue.HINTON,
  DistillationMethodValue.CC,
  DistillationMethodValue.TA,
  DistillationMethodValue.RCO,
];

@Injectable()
export class ExperimentsService {
  private readonly log = new Logger('api.experiments');

  constructor(
    @Inject(ExperimentsRepository) private readonly experiments: ExperimentsRepository,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {}

  find(id: string): Promise<Experiment | null> {
    return this.experiments.findById(checkId(id, 'experiment'));
  }

  async get(id: string): Promise<Experiment> {
    const row = await this.find(id);
    if (!row)
      throw new AkdError(
        'NOT_FOUND',
        `Experiment ${id} does not exist. The experiments query lists the experiments.`,
      );
    return row;
  }

  /** Returns one page of experiments, newest first, and the number that match the filter. */
  async list(args: ExperimentsArgs): Promise<Page<Experiment> & { totalCount: number }> {
    checkPageSize(args.first);
    const filter = {
      statuses: args.filter?.status?.map((status) => toEnumKey(status)),
      datasetId: args.filter?.datasetId ? checkId(args.filter.datasetId, 'dataset') : undefined,
      teacherId: args.filter?.teacherId ? checkId(args.filter.teacherId, 'teacher') : undefined,
    };
    const afterId = args.after ? checkId(decodeCursor(args.after).id, 'cursor') : null;
    const [rows, totalCount] = await Promise.all([
      this.experiments.list(filter, args.first + 1, afterId),
      this.experiments.count(filter),
    ]);
    return { ...toPage(rows, args.first), totalCount };
  }

  /**
   * Validates the input with `createExperiment` of `@akd/runner`, records the experiment as queued
   * and queues its search. When the queue refuses the job, the experiment is deleted again.
   */
  async create(input: CreateExperimentInput): Promise<Experiment> {
    const distill = input.searchBy === SearchByValue.DISTILLATION;
    const settings: ExperimentSettings = {
      name: input.name,
      datasetId: checkId(input.datasetId, 'dataset'),
      teacherId: distill && input.teacherId ? checkId(input.teacherId, 'teacher') : null,
      searchBy: input.searchBy,
      strategy: { kind: input.strategy, options: input.strategyOptions ?? undefined } as StrategySpec,
      latencyModel: input.latencyModel,
      latencyProfileId: input.latencyProfileId ? checkId(input.latencyProfileId, 'latency profile') : null,
      latencyBackend: input.latencyBackend ?? null,
      latencyTargetMs: input.latencyTargetMs,
      reward: { ...(input.reward ?? new RewardInput()) },
      proxy: { ...(input.proxy ?? new ProxySettingsInput()) },
      kd: { ...(input.kd ?? new KdSettingsInput()) },
      budget: input.budget,
      generationSize: input.generationSize,
      seed: input.seed,
      space: (input.space ?? undefined) as SearchSpace | undefined,
    };
    const row = await this.experiments.create(settings);
    try {
      await this.queue.enqueueSearch(row.id);
    } catch (error) {
      this.log.error('could not queue the search; deleting the experiment', { experimentId: row.id, error });
      await this.experiments.delete(row.id);
      throw new AkdError(
        'UNAVAILABLE',
        'The job queue is unavailable, so the experiment was not created. Try again later.',
        {},
        { cause: error },
      );
    }
    this.log.info('experiment created', { experimentId: row.id, name: row.name });
    return row;
  }

  /** Queues the search again: for a failed experiment (it resumes from its stored state) or a queued one whose job was lost. */
  async start(id: string): Promise<Experiment> {
    const row = await this.move(id, 'start', { status: 'queued', error: null, finishedAt: null });
    await this.enqueueSearch(row);
    return row;
  }

  /** Marks the experiment paused. Workers read the status periodically and stop its search. */
  pause(id: string): Promise<Experiment> {
    return this.move(id, 'pause', { status: 'paused' });
  }

  /** Queues a paused experiment again; the search continues from its stored state. */
  async resume(id: string): Promise<Experiment> {
    const row = await this.move(id, 'resume', { status: 'queued' });
    await this.enqueueSearch(row);
    return row;
  }

  /** Marks the experiment cancelled; it cannot run again. */
  cancel(id: string): Promise<Experiment> {
    return this.move(id, 'cancel', { status: 'cancelled', finishedAt: new Date() });
  }

  /** Deletes a stopped experiment with its generations and candidates; trained models stay. */
  async delete(id: string): Promise<Experiment> {
    const row = await this.get(id);
    if (!(await this.experiments.deleteIn(row.id, ALLOWED_FROM.delete))) {
      throw this.conflict(await this.get(id), 'delete');
    }
    this.log.info('experiment deleted', { experimentId: row.id });
    return row;
  }

  /** Queues the search of a queued experiment. On failure it stays queued, so startExperiment can retry. */
  private async enqueueSearch(row: Experiment): Promise<void> {
    try {
      await this.queue.enqueueSearch(row.id);
    } catch (error) {
      this.log.error('could not queue the search', { experimentId: row.id, error });
      throw new AkdError(
        'UNAVAILABLE',
        `Experiment ${row.id} is QUEUED but the job queue is unavailable, so no worker will pick it up. Call startExperiment again later.`,
        {},
        { cause: error },
      );
    }
  }

  private async move(
    id: string,
    transition: Transition,
    data: { status: ExperimentStatus; error?: null; finishedAt?: Date | null },
  ): Promise<Experiment> {
    await this.get(id);
    const row = await this.experiments.transition(id, ALLOWED_FROM[transition], data);
    if (!row) throw this.conflict(await this.get(id), transition);
    this.log.info('experiment status changed', { experimentId: id, transition, status: row.status });
    return row;
  }

  private conflict(row: Experiment, transition: Transition): AkdError {
    const allowed = ALLOWED_FROM[transition].map((status) => status.toUpperCase()).join(', ');
    return new AkdError(
      'CONFLICT',
      `Cannot ${transition} experiment ${row.id}: its status is ${row.status.toUpperCase()}, and ${transition} needs one of ${allowed}.`,
      { experimentId: row.id, status: row.status },
    );
  }

  generations(experimentId: string): Promise<Generation[]> {
    return this.experiments.generations(experimentId);
  }

  async progress(experiment: { id: string; budget: number }): Promise<ExperimentProgress> {
    const counts = await this.experiments.candidateCounts(experiment.id);
    return {
      budget: experiment.budget,
      completed: counts.get('completed') ?? 0,
      failed: counts.get('failed') ?? 0,
      inProgress: (counts.get('pending') ?? 0) + (counts.get('training') ?? 0),
    };
  }

  /** Returns one page of the experiment's candidates in the requested order. */
  async candidates(
    experimentId: string,
    args: CandidatesArgs,
  ): Promise<Page<Candidate> & { totalCount: number }> {
    checkPageSize(args.first);
    const after = args.after ? decodeCursor(args.after) : null;
    if (after) {
      checkId(after.id, 'cursor');
      const integerOrder = args.orderBy === CandidateOrderValue.PARAMS_ASC;
      if (
        after.value !== null &&
        (integerOrder ? !/^-?\d+$/.test(String(after.value)) : !Number.isFinite(Number(after.value)))
      ) {
        throw new AkdError(
          'INVALID_INPUT',
          'Invalid cursor: pass the endCursor of a previous page with the same orderBy.',
        );
      }
    }
    const status: CandidateStatus | null = args.status ? toEnumKey(args.status) : null;
    const { rows, totalCount } = await this.experiments.candidatePage(
      experimentId,
      args.orderBy,
      status,
      after,
      args.first + 1,
    );
    return { ...toPage(rows, args.first), totalCount };
  }

  /** Returns the completed candidates that no other completed candidate beats on both accuracy and latency. */
  async paretoFront(experimentId: string): Promise<Candidate[]> {
    const rows = await this.experiments.scoredCandidates(experimentId);
    const points = rows.map((row) => ({
      id: row.id,
      accuracy: row.proxyAccuracy ?? 0,
      latencyMs: row.latencyMs ?? 0,
      row,
    }));
    return paretoFront(points).map((point) => point.row);
  }

  bestCandidates(experimentId: string, k: number): Promise<Candidate[]> {
    if (!Number.isInteger(k) || k < 1 || k > MAX_TOP_K) {
      throw new AkdError('INVALID_INPUT', `Invalid k=${k}: use a whole number from 1 to ${MAX_TOP_K}.`);
    }
    return this.experiments.bestCandidates(experimentId, k);
  }

  trainedModels(experimentId: string): Promise<TrainedModel[]> {
    return this.experiments.trainedModels(experimentId);
  }

  /**
   * Records a pending trained model for each of the `topK` best completed candidates and queues
   * its training. A candidate that already has a pending, running or completed model with the
   * same method keeps it, and that model is returned in its place.
   */
  async trainFinalModels(args: TrainFinalModelsArgs): Promise<TrainedModel[]> {
    const experiment = await this.get(args.experimentId);
    const teacherId = METHODS_WITH_TEACHER.includes(args.method) ? experiment.teacherId : null;
    if (METHODS_WITH_TEACHER.includes(args.method) && teacherId === null) {
      throw new AkdError(
        'INVALID_INPUT',
        `Method ${args.method.toUpperCase().replace('-', '_')} distills from a teacher, but experiment ${experiment.id} has none. Use HARD_LABEL.`,
      );
    }
    const best = await this.experiments.bestCandidates(experiment.id, args.topK);
    if (best.length === 0) {
      throw new AkdError(
        'CONFLICT',
        `Experiment ${experiment.id} has no completed candidate yet, so there is nothing to train.`,
      );
    }
    const recipes = await this.finalTrainingRecipes(experiment, best, args);
    const existing = await this.experiments.activeTrainedModels(
      best.map((candidate) => candidate.id),
      args.method,
    );
    const result: TrainedModel[] = [];
    for (const candidate of best) {
      const reused = existing.find((model) => model.candidateId === candidate.id);
      if (reused) {
        result.push(reused);
        continue;
      }
      const model = await this.experiments.createTrainedModel({
        candidateId: candidate.id,
        experimentId: experiment.id,
        teacherId,
        method: toEnumKey(args.method),
        epochs: args.epochs,
        settings: recipes[best.indexOf(candidate)] as unknown as Prisma.InputJsonObject,
        params: candidate.params,
        flops: candidate.flops,
        status: 'pending',
      });
      try {
        await this.queue.enqueueFinalTraining(model.id);
      } catch (error) {
        this.log.error('could not queue final training', { trainedModelId: model.id, error });
        await this.experiments.deleteTrainedModel(model.id);
        throw new AkdError(
          'UNAVAILABLE',
          'The job queue is unavailable, so no further model was queued. Try again later.',
          {},
          { cause: error },
        );
      }
      result.push(model);
    }
    return result;
  }

  /**
   * Resolves the final-training recipe of each candidate with `resolveFinalTrainingSettings`,
   * before any row is created, so invalid settings record nothing.
   */
  private async finalTrainingRecipes(
    experiment: Experiment,
    candidates: readonly Candidate[],
    args: TrainFinalModelsArgs,
  ): Promise<FinalTrainingSettings[]> {
    const teacher =
      args.method === DistillationMethodValue.HARD_LABEL || experiment.teacherId === null
        ? null
        : await this.experiments.teacherById(experiment.teacherId);
    const decoded = decodeExperiment(experiment);
    const input = toFinalTrainingInput(args.settings);
    const recipes: FinalTrainingSettings[] = [];
    for (const candidate of candidates) {
      recipes.push(
        await resolveFinalTrainingSettings({
          method: args.method as FinalTrainingMethod,
          epochs: args.epochs,
          input,
          space: decoded.space,
          experimentKd: decoded.kd,
          experimentSeed: decoded.proxy.seed,
          studentGenome: candidate.genome as unknown as Genome,
          teacher,
        }),
      );
    }
    return recipes;
  }
}
