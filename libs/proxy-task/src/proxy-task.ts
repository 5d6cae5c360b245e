import * as tf from '@tensorflow/tfjs-core';
import { AkdError, Logger } from '@akd/core';
import { gatherImages, gatherLabels, loadDatasetAt, stratifiedSplit, datasetFingerprint } from '@akd/data';
import type { DatasetLocation, ImageDataset } from '@akd/data';
import {
  activeBackend,
  buildStudent,
  evaluateModel,
  measureLatencyMs,
  SplitBatchSource,
  trainModel,
  type HintonSettings,
  type TrainingLoss,
} from '@akd/engine';
import { countFlops, countParams, validateGenome, type Genome, type SearchSpace } from '@akd/search-space';
import { readLogitsFile } from '@akd/teachers';
import { validateProxySettings, type ProxySettings } from './settings.js';

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
}

/** Score of one student on the proxy task. */
export interface ProxyResult {
  /** Top-1 accuracy on mini-val. */
  accuracy: number;
  top5: number;
  /** Median batch-1 forward latency on `backend`, in milliseconds. */
  latencyMs: number;
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
 * measures its latency. The teacher itself never runs here.
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
  ) {}

  /** Loads the dataset and teacher logits of `spec` and checks they match it. */
  static async create(spec: ProxyTaskSpec, preloaded?: ImageDataset): Promise<ProxyTask> {
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
    return new ProxyTask(spec, dataset, split.train, valImages, valLabels, logits);
  }

  /** Trains and scores `genome`; `seed` defaults to the proxy seed. */
  async evaluate(
    genome: Genome,
    options: { seed?: number; signal?: AbortSignal } = {},
  ): Promise<ProxyResult> {
    const { space, proxy } = this.spec;
    validateGenome(space, genome);
    const seed = options.seed ?? proxy.seed;
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
      const latencyMs = measureLatencyMs(model, this.dataset.shape);
      return {
        accuracy: score.top1,
        top5: score.top5,
        latencyMs,
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
}
