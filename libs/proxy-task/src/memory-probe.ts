// Child process of memory.test.ts. It scores sampled students of the default search space on the
// proxy task one after another, alternating hard labels and Hinton distillation. After each one it
// reports the tensor count, the backend's buffer count, the WASM heap size and the resident set
// size. It runs alone in its process, so the resident set size is that of the training alone.
//
// The WASM heap never shrinks: it stays at the largest size any training step needed, and one
// student of the default space can need several times the heap of another. On 28×28 images at
// batch 32, sampled students needed 0.5 to 1 GB and the largest student 2.3 GB (measured on the
// 2-core development machine). The probe therefore scores the largest student of the space first,
// so that later growth of the resident set comes from leaks and not from a student larger than
// those before it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@akd/core';
import { datasetFingerprint, loadDatasetAt, locateDefaultDataset } from '@akd/data';
import { initBackend } from '@akd/engine';
import { defaultSearchSpace, sampleGenome, type Genome, type SearchSpace } from '@akd/search-space';
import { encodeNpy } from '@akd/teachers';
import { ProxyTask, type ProxyTaskSpec } from './proxy-task.js';
import type { ProxySettings } from './settings.js';

/** Message of the probe to its parent after each student. */
export interface ProbeCandidateMessage {
  type: 'candidate';
  /** 0-based position of the student. */
  index: number;
  searchBy: 'distillation' | 'hard-label';
  params: number;
  numTensors: number;
  /** Buffers the TF.js backend holds, which counts kernel intermediates that are not tensors. */
  dataIds: number;
  /** Size of the WASM heap in bytes; 0 on other backends. */
  wasmHeap: number;
  /** Resident set size in bytes. */
  rss: number;
  /** Bytes used on the V8 heap, after a full garbage collection when the process runs with `--expose-gc`. */
  heapUsed: number;
  /** Wall-clock time of scoring the student, in milliseconds. */
  ms: number;
}

/** Last message of the probe. */
export interface ProbeDoneMessage {
  type: 'done';
  backend: string;
  /** Tensor count after the largest student was scored, before the first sampled one. */
  startTensors: number;
  /** Backend buffer count at the same moment. */
  startDataIds: number;
  /** WASM heap size in bytes at the same moment. */
  startWasmHeap: number;
  /** Resident set size in bytes at the same moment. */
  startRss: number;
}

/** Returns the largest student of `space`: every block at the last choice of every decision. */
export function largestGenome(space: SearchSpace): Genome {
  return {
    blocks: space.blocks.map(() => ({
      op: 'mbconv6',
      kernelSize: 5,
      seRatio: 0.25,
      skip: 'identity',
      filterMultiplier: 1.25,
      layerDelta: 1,
    })),
  };
}

function collectedHeapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

function backendBuffers(): { dataIds: number; wasmHeap: number } {
  const backend = tf.backend() as unknown as { numDataIds(): number; wasm?: { HEAPU8: Uint8Array } };
  return { dataIds: backend.numDataIds(), wasmHeap: backend.wasm?.HEAPU8.byteLength ?? 0 };
}

/** Proxy task of the probe: the quick preset's batch size and learning rate on 64 images for one epoch. */
export const PROBE_PROXY: ProxySettings = {
  trainSize: 64,
  valSize: 64,
  epochs: 1,
  batchSize: 32,
  learningRate: 0.005,
  seed: 1,
};

async function main(): Promise<void> {
  const count = Number(process.env.AKD_PROBE_CANDIDATES ?? '50');
  const backend = await initBackend();
  const location = locateDefaultDataset({ env: { AKD_DATASET: 'fashion-mnist-subset' } });
  const dataset = await loadDatasetAt(location);
  const space = defaultSearchSpace(dataset.shape, dataset.numClasses);
  const rng = new Rng(2026);

  // The teacher logits only steer the loss, so random ones exercise distillation as well as real ones.
  const dir = await mkdtemp(join(tmpdir(), 'akd-memory-probe-'));
  try {
    const logits = Float32Array.from(
      { length: PROBE_PROXY.trainSize * dataset.numClasses },
      () => rng.next() * 6 - 3,
    );
    const logitsPath = join(dir, 'teacher.npy');
    await writeFile(logitsPath, encodeNpy(logits, PROBE_PROXY.trainSize, dataset.numClasses));
    const base: ProxyTaskSpec = {
      dataset: location,
      datasetFingerprint: datasetFingerprint(dataset),
      space,
      proxy: PROBE_PROXY,
      searchBy: 'hard-label',
      kd: { lambda: 0.5, temperature: 2 },
      teacherLogitsPath: null,
    };
    const tasks = {
      'hard-label': await ProxyTask.create(base, dataset),
      distillation: await ProxyTask.create(
        { ...base, searchBy: 'distillation', teacherLogitsPath: logitsPath },
        dataset,
      ),
    };

    await tasks['hard-label'].evaluate(largestGenome(space));
    const startTensors = tf.memory().numTensors;
    const start = backendBuffers();
    const startRss = process.memoryUsage().rss;
    for (let index = 0; index < count; index++) {
      const searchBy = index % 2 === 0 ? 'hard-label' : 'distillation';
      const started = performance.now();
      const result = await tasks[searchBy].evaluate(sampleGenome(space, rng));
      const message: ProbeCandidateMessage = {
        type: 'candidate',
        index,
        searchBy,
        params: result.params,
        numTensors: tf.memory().numTensors,
        ...backendBuffers(),
        rss: process.memoryUsage().rss,
        heapUsed: collectedHeapUsed(),
        ms: performance.now() - started,
      };
      process.send?.(message);
    }
    const done: ProbeDoneMessage = {
      type: 'done',
      backend: backend.name,
      startTensors,
      startDataIds: start.dataIds,
      startWasmHeap: start.wasmHeap,
      startRss,
    };
    process.send?.(done);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.disconnect?.(),
  (error: unknown) => {
    process.stderr.write(`memory probe failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
