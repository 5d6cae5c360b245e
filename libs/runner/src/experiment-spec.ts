import { AkdError } from '@akd/core';
import { loadDatasetAt, type DatasetLocation, type ImageDataset } from '@akd/data';
import type { Dataset, Experiment, PrismaClient, Teacher } from '@akd/db';
import type { HintonSettings } from '@akd/engine';
import { proxySplit, type ProxySettings, type ProxyTaskSpec } from '@akd/proxy-task';
import type { RewardConfig, StrategyKind, StrategySpec } from '@akd/search';
import type { SearchSpace } from '@akd/search-space';
import { datasetLocation } from './datasets.js';
import { experimentLatencySpec } from './latency-profiles.js';
import { ensureTeacherLogitsAnySource } from './teacher-logits.js';

/** An experiment row with the dataset and teacher rows it references. */
export type ExperimentWithRelations = Experiment & { dataset: Dataset; teacher: Teacher | null };

/** Experiment fields decoded from their JSON and enum columns. */
export interface DecodedExperiment {
  space: SearchSpace;
  proxy: ProxySettings;
  kd: HintonSettings;
  strategy: StrategySpec;
  searchBy: 'distillation' | 'hard-label';
}

/** Decodes the JSON and enum columns of an experiment row. */
export function decodeExperiment(experiment: Experiment): DecodedExperiment {
  return {
    space: experiment.searchSpace as unknown as SearchSpace,
    proxy: experiment.proxySettings as unknown as ProxySettings,
    kd: experiment.kdSettings as unknown as HintonSettings,
    strategy: {
      kind: experiment.strategy.replace('_', '-') as StrategyKind,
      options: experiment.strategyOptions as never,
    } as StrategySpec,
    searchBy: experiment.searchBy === 'distillation' ? 'distillation' : 'hard-label',
  };
}

/** Returns the latency target and reward exponents of an experiment. */
export function experimentRewardConfig(experiment: Experiment): RewardConfig {
  return { targetMs: experiment.latencyTargetMs, alpha: experiment.rewardAlpha, beta: experiment.rewardBeta };
}

/** Options of {@link buildProxyTaskSpec}. */
export interface BuildProxyTaskSpecOptions {
  /** The experiment's dataset, if the caller has it loaded. */
  dataset?: ImageDataset;
  /** Loads the dataset when `dataset` is not given; defaults to `loadDatasetAt`. */
  loadDataset?: (location: DatasetLocation) => Promise<ImageDataset>;
}

/**
 * Builds the spec that every process scoring the experiment's candidates trains with, including
 * the experiment's latency model and, for `table` and `flops`, its stored profile. For a
 * distillation search it also computes (once, then reads from the cache) the teacher's logits on
 * mini-train, for a teacher of any source, so the dataset is loaded only in that case.
 *
 * @throws AkdError INVALID_INPUT when a distillation experiment has no teacher or its teacher is
 *   not ready, or a `table` or `flops` experiment has no profile.
 */
export async function buildProxyTaskSpec(
  prisma: PrismaClient,
  experiment: ExperimentWithRelations,
  options: BuildProxyTaskSpecOptions = {},
): Promise<ProxyTaskSpec> {
  const { space, proxy, kd, searchBy } = decodeExperiment(experiment);
  const location = datasetLocation(experiment.dataset);
  const latency = await experimentLatencySpec(prisma, experiment);
  let teacherLogitsPath: string | null = null;
  if (searchBy === 'distillation') {
    if (!experiment.teacher) {
      throw new AkdError('INVALID_INPUT', `Distillation experiment ${experiment.id} has no teacher.`, {
        experimentId: experiment.id,
      });
    }
    const dataset = options.dataset ?? (await (options.loadDataset ?? loadDatasetAt)(location));
    const { train } = proxySplit(dataset, proxy);
    teacherLogitsPath = await ensureTeacherLogitsAnySource(
      prisma,
      experiment.teacher,
      dataset,
      'train',
      train,
    );
  }
  return {
    dataset: location,
    datasetFingerprint: experiment.dataset.fingerprint,
    space,
    proxy,
    searchBy,
    kd,
    teacherLogitsPath,
    latency,
  };
}
