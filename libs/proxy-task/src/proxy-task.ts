import * as tf from '@tensorflow/tfjs-core';
import { AkdError, Logger } from '@akd/core';
import { gatherImages, gatherLabels, loadDatasetAt, stratifiedSplit, datasetFingerprint } from '@akd/data';
import type { DatasetLocation, ImageDataset } from '@akd/data';
import {
  activeBackend,
  buildStudent,
  createLatencyModel,
  evaluateModel,
  SplitBatchSource,
  trainModel,
  type HintonSettings,
  type LatencyModel,
  type LatencyModelKind,
  type LatencyProfile,
  type TrainingLoss,
} from '@akd/engine';
import { countFlops, countParams, validateGenome, type Genome, type SearchSpace } from '@akd/search-space';
import { readLogitsFile } from '@akd/teachers';
import { validateProxySettings, type ProxySettings } from './settings.js';

/**
 * Latency model of a proxy task. `measured` times each trained student on the process's backend;
 * `table` and `flops` predict from the profile without running the student.
 */
export type ProxyLatencySpec =
  | { model: 'measured' }
  | {
      model: 'table' | 'flops';
      /** Id of the `LatencyProfile` row, recorded with every result. */
      profileId: string;
      profile: LatencyProfile;
    };

/** Everything a process needs to score students; plain JSON so it can cross process boundaries. */
export interface ProxyTaskSpec {
  dataset: DatasetLocation;
  /** Fingerprint the loaded dataset must have, so a worker never trains on other data. */
  datasetFingerprint: string;
  space: SearchSpace;
  proxy: ProxySettings;
  /** Objective: distillation from `teacherLogitsPath`, or hard labels. */
  searchBy: 'distillation' | 'hard-label';
  kd: HintonSettings;
  /** `.npy` logits of the teacher for mini-train, row `i` for the i-th mini-train index. */
  teacherLogitsPath: string | null;
  /** Latency model of each student; `measured` when omitted. */
  latency?: ProxyLatencySpec;
}

/** Score of one student on the proxy task. */
export interface ProxyResult {
  /** Top-1 accuracy on mini-val. */
  accuracy: number;
  top5: number;
  /**
   * Batch-1 forward latency in milliseconds: the fastest of the timed runs on `backend` for the
   * `measured` model, the profile's prediction for `table` and `flops`.
   */
  latencyMs: number;
  /** Latency model that produced `latencyMs`. */
  latencyModel: LatencyModelKind;
  /** Profile that `table` and `flops` predicted from; null for `measured`. */
  latencyProfileId: string | null;
  params: number;
  flops: number;
  trainMs: number;
  backend: string;
  /** Mean training loss per epoch. */
  epochLosses: number[];
}

/** Mini-train and mini-val indices of the training split for `proxy`. */
export function proxySplit(
  dataset: ImageDataset,
  proxy: ProxySettings,
): { train: Int32Array; val: Int32Array } {
  validateProxySettings(proxy, dataset.train.count);
  return stratifiedSplit(dataset.train.labels, {
    trainSize: proxy.trainSize,
    valSize: proxy.valSize,
    seed: proxy.seed,
  });
}

/**
 * The proxy task: trains a student from scratch (no weight sharing) on mini-train, with Hinton
 * distillation from cached teacher logits or with hard labels, then scores it on mini-val and
 * obtains its latency from the spec's latency model. The teacher itself never runs here.
 */
export class ProxyTask {
  private readonly log = new Logger('ProxyTask');

  private constructor(
    readonly spec: ProxyTaskSpec,
    private readonly dataset: ImageDataset,
    private readonly trainIndices: Int32Array,
    private readonly valImages: Float32Array,
    private readonly valLabels: Int32Array,
    private readonly teacherLogits: Float32Array | null,
    private readonly latency: LatencyModel,
  ) {}

  /**
   * Loads the dataset and teacher logits of `spec` and checks they match it.
   *
   * @throws AkdError INVALID_INPUT when a `table` or `flops` spec has a profile the model cannot
   *   use (see `createLatencyModel`).
   */
  static async create(spec: ProxyTaskSpec, preloaded?: ImageDataset): Promise<ProxyTask> {
    const latencySpec: ProxyLatencySpec = spec.latency ?? { model: 'measured' };
    const latency = createLatencyModel(
      latencySpec.model,
      latencySpec.model === 'measured' ? undefined : latencySpec.profile,
    );
    const dataset = preloaded ?? (await loadDatasetAt(spec.dataset));
    const fingerprint = datasetFingerprint(dataset);
    if (fingerprint !== spec.datasetFingerprint) {
      throw new AkdError(
        'CONFLICT',
        `Dataset at ${spec.dataset.path} has fingerprint ${fingerprint.slice(0, 12)} but the experiment was created for ${spec.datasetFingerprint.slice(0, 12)}; the files changed since.`,
        { path: spec.dataset.path },
      );
    }
    const split = proxySplit(dataset, spec.proxy);
    let logits: Float32Array | null = null;
    if (spec.searchBy === 'distillation') {
      if (!spec.teacherLogitsPath) {
        throw new AkdError(
          'INVALID_INPUT',
          'Searching by distillation needs teacher logits, but none were given.',
        );
      }
      logits = await readLogitsFile(spec.teacherLogitsPath, split.train.length, dataset.numClasses);
    }
    const valImages = gatherImages(dataset.train, split.val);
    const valLabels = gatherLabels(dataset.train, split.val);
    return new ProxyTask(spec, dataset, split.train, valImages, valLabels, logits, latency);
  }

  /** Trains and scores `genome`; `seed` defaults to the proxy seed. */
  async evaluate(
    genome: Genome,
    options: { seed?: number; signal?: AbortSignal } = {},
  ): Promise<ProxyResult> {
    const { space, proxy } = this.spec;
    validateGenome(space, genome);
    const seed = options.seed ?? proxy.seed;
    // A predicted latency needs no trained student, so a genome the profile cannot predict fails
    // before training.
    const predictedMs = this.latency.kind === 'measured' ? null : this.predictLatencyMs(genome);
    const tensorsBefore = tf.memory().numTensors;
    const model = buildStudent(space, genome, seed);
    try {
      const source = new SplitBatchSource(
        this.dataset.train,
        this.trainIndices,
        this.dataset.shape,
        proxy.batchSize,
        seed,
      );
      const loss: TrainingLoss =
        this.teacherLogits && this.spec.searchBy === 'distillation'
          ? {
              kind: 'hinton',
              teacherLogits: this.teacherLogits,
              numClasses: this.dataset.numClasses,
              ...this.spec.kd,
            }
          : { kind: 'hard-label' };
      const trained = await trainModel(model, source, {
        epochs: proxy.epochs,
        batchSize: proxy.batchSize,
        learningRate: proxy.learningRate,
        loss,
        signal: options.signal,
      });
      const score = evaluateModel(model, {
        images: this.valImages,
        labels: this.valLabels,
        shape: this.dataset.shape,
      });
      const latencyMs = predictedMs ?? this.latency.latencyMs(space, genome, model);
      return {
        accuracy: score.top1,
        top5: score.top5,
        latencyMs,
        latencyModel: this.latency.kind,
        latencyProfileId: this.latencyProfileId,
        params: countParams(space, genome),
        flops: countFlops(space, genome),
        trainMs: trained.trainMs,
        backend: activeBackend()?.name ?? tf.getBackend(),
        epochLosses: trained.epochLosses,
      };
    } finally {
      model.dispose();
      const leaked = tf.memory().numTensors - tensorsBefore;
      if (leaked !== 0) this.log.warn('tensor count changed while scoring a candidate', { leaked });
    }
  }

  /** Id of the profile that the `table` or `flops` model predicts from; null for `measured`. */
  private get latencyProfileId(): string | null {
    const latency = this.spec.latency;
    return latency === undefined || latency.model === 'measured' ? null : latency.profileId;
  }

  /**
   * Returns the latency that the `table` or `flops` model predicts for `genome`.
   *
   * @throws AkdError INVALID_INPUT when the prediction is not a positive number of milliseconds,
   *   which the reward needs. A FLOPs fit with a negative intercept or a table with a negative
   *   network overhead can predict that for very small students.
   */
  private predictLatencyMs(genome: Genome): number {
    const latencyMs = this.latency.latencyMs(this.spec.space, genome);
    if (!(Number.isFinite(latencyMs) && latencyMs > 0)) {
      throw new AkdError(
        'INVALID_INPUT',
        `The ${this.latency.kind} latency model predicts ${latencyMs} ms for this student, but a latency ` +
          'must be a positive number of milliseconds. Use another latency profile or the measured latency model.',
        { latencyModel: this.latency.kind, latencyMs },
      );
    }
    return latencyMs;
  }
}
