// Compares the training speed of this engine (TensorFlow.js on the wasm backend, one thread) with
// single-thread PyTorch on two networks, and measures how much a second worker process speeds up the
// proxy task:
//
// - the reference student (bench/reference-student.json, a genome of the default 28x28x1 search space)
//   and the 4-conv network (bench/four-conv-net.ts), each trained with Adam at batch 64 on random
//   28x28x1 images, on the engine and in PyTorch (bench/pytorch-student.py with torch.set_num_threads(1)).
//   Images/s is the batch size over the median wall time of a step, after untimed warm-up steps. The
//   CPU-time figure divides by the process CPU time of a step instead, which other processes on the
//   machine disturb less.
// - the peak resident memory of this process after the engine runs (process.resourceUsage().maxRSS).
// - the two-process speed-up: candidates per minute of a ProxyTaskPool with 2 worker processes over
//   that of 1 process, both training the same list of sampled genomes on the proxy task (hard labels,
//   the dataset of AKD_DATASET, fashion-mnist-subset unless set). Each pool first trains one
//   untimed candidate per process, so that process start and dataset loading stay out of the figure.
//
//   npm run bench:train -- [--steps 20] [--pool-genomes 8] [--skip-pool] [--quick] [--json]
//
// --quick runs 3 timed steps and a pool measurement of 4 genomes on 200 training images, about 1 to 2
// minutes on a loaded 2-core machine. --json prints a one-line JSON summary as the last line.
// PyTorch runs with Debian's python3-torch (/usr/bin/python3); when it cannot import torch, the
// PyTorch figures are null.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@akd/core';
import { datasetFingerprint, loadDatasetAt, locateDefaultDataset } from '@akd/data';
import { type BatchSource, type TrainingBatch, buildStudent, initBackend, trainModel } from '@akd/engine';
import { PROXY_PRESETS, ProxyTaskPool, type ProxySettings, type ProxyTaskSpec } from '@akd/proxy-task';
import {
  countFlops,
  defaultSearchSpace,
  describeGenome,
  expandGenome,
  parseGenome,
  sampleGenome,
  type Genome,
  type SearchSpace,
} from '@akd/search-space';
import { buildNetwork, makeBatch } from './four-conv-net.js';
import { describeMachine, formatLoadNow, formatMachine, round } from './machine.js';

const { values: args } = parseArgs({
  options: {
    steps: { type: 'string' },
    'pool-genomes': { type: 'string' },
    'skip-pool': { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});

/** Prints an invalid-option message and exits with status 2, as command-line tools do for usage errors. */
function exitWithUsageError(message: string): never {
  console.error(message);
  process.exit(2);
}

const BATCH_SIZE = 64;
const WARMUP_STEPS = 3;
const INPUT_SHAPE = [28, 28, 1] as const;
const CLASSES = 10;
const PYTHON = '/usr/bin/python3';
const REFERENCE_GENOME_PATH = join(import.meta.dirname, 'reference-student.json');
/**
 * Multiply-adds per image of the 4-conv network: 28·28·9·1·32 + 14·14·9·32·32 + 14·14·9·32·64 +
 * 7·7·9·64·64 for the convolutions and 64·10 for the dense layer, counted as countFlops counts a student.
 */
const FOUR_CONV_MULTIPLY_ADDS = 7_451_776;
/** Proxy task of the pool measurement, small so that one candidate trains in seconds. */
const POOL_PROXY: ProxySettings = { ...PROXY_PRESETS.quick, trainSize: 1000, valSize: 500, epochs: 1 };
const QUICK_POOL_PROXY: ProxySettings = { ...POOL_PROXY, trainSize: 200, valSize: 100 };

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    exitWithUsageError(`Invalid --${name} ${text}: use a whole number of at least 1.`);
  }
  return value;
}

const steps = positiveInteger('steps', args.steps, args.quick ? 3 : 20);
const poolGenomeCount = positiveInteger('pool-genomes', args['pool-genomes'], args.quick ? 4 : 8);
const poolProxy = args.quick ? QUICK_POOL_PROXY : POOL_PROXY;
// Info logs of the worker processes would interleave with the results. Warnings and errors still print.
process.env.AKD_LOG_LEVEL ??= 'warn';
process.env.AKD_DATASET ??= 'fashion-mnist-subset';
// The pool's worker processes choose their backend by AKD_BACKEND, so unless it is set they run wasm too.
process.env.AKD_BACKEND ??= 'wasm';

/** Median wall time and process CPU time of a training step, in milliseconds. */
interface StepTiming {
  wallMs: number;
  cpuMs: number;
}

/** Images per second by wall time and by CPU time, for a step timing at {@link BATCH_SIZE}. */
interface Throughput {
  imagesPerSec: number;
  cpuImagesPerSec: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function throughput(timing: StepTiming): Throughput {
  return {
    imagesPerSec: (BATCH_SIZE * 1000) / timing.wallMs,
    cpuImagesPerSec: (BATCH_SIZE * 1000) / timing.cpuMs,
  };
}

/** Records the wall and CPU time between consecutive calls of `lap`, keeping those after the warm-up. */
class StepClock {
  private readonly wall: number[] = [];
  private readonly cpu: number[] = [];
  private lastWall = performance.now();
  private lastCpu = cpuMs();

  lap(): void {
    const nowWall = performance.now();
    const nowCpu = cpuMs();
    this.wall.push(nowWall - this.lastWall);
    this.cpu.push(nowCpu - this.lastCpu);
    this.lastWall = nowWall;
    this.lastCpu = nowCpu;
  }

  timing(): StepTiming {
    return { wallMs: median(this.wall.slice(WARMUP_STEPS)), cpuMs: median(this.cpu.slice(WARMUP_STEPS)) };
  }
}

/** One random batch of 28x28x1 images and labels, served for every step. */
class RandomBatches implements BatchSource {
  readonly shape = INPUT_SHAPE;
  private readonly batch: TrainingBatch;

  constructor(readonly count: number) {
    const rng = new Rng(7);
    const x = new Float32Array(BATCH_SIZE * INPUT_SHAPE[0] * INPUT_SHAPE[1] * INPUT_SHAPE[2]);
    for (let i = 0; i < x.length; i++) x[i] = rng.next();
    const labels = Int32Array.from({ length: BATCH_SIZE }, (_, i) => i % CLASSES);
    const rows = Int32Array.from({ length: BATCH_SIZE }, (_, i) => i);
    this.batch = { x, labels, rows, size: BATCH_SIZE };
  }

  *batches(): Iterable<TrainingBatch> {
    for (let served = 0; served < this.count; served += BATCH_SIZE) yield this.batch;
  }
}

/** Trains the student of `genome` with trainModel (Adam, learning rate 0.005, hard labels). */
async function timeEngineStudent(space: SearchSpace, genome: Genome): Promise<StepTiming> {
  const model = buildStudent(space, genome, 1);
  const clock = new StepClock();
  try {
    await trainModel(model, new RandomBatches((WARMUP_STEPS + steps) * BATCH_SIZE), {
      epochs: 1,
      batchSize: BATCH_SIZE,
      learningRate: 0.005,
      loss: { kind: 'hard-label' },
      onStep: () => clock.lap(),
    });
  } finally {
    model.dispose();
  }
  return clock.timing();
}

/** Trains the 4-conv network with Adam at learning rate 0.001, as bench/wasm-kernels.ts does. */
function timeEngineFourConv(): StepTiming {
  const network = buildNetwork();
  const optimizer = tf.train.adam(1e-3);
  const { x, labels } = makeBatch(BATCH_SIZE);
  const clock = new StepClock();
  try {
    for (let i = 0; i < WARMUP_STEPS + steps; i++) {
      const cost = optimizer.minimize(() => network.loss(x, labels), true, network.variables);
      cost?.dataSync();
      cost?.dispose();
      clock.lap();
    }
  } finally {
    tf.dispose([x, labels, ...network.variables]);
    optimizer.dispose();
  }
  return clock.timing();
}

/** Output line of bench/pytorch-student.py. */
interface PytorchResult {
  torch: string;
  threads: number;
  /** Instruction set of oneDNN's CPU kernels, on which PyTorch runs its convolutions; null without oneDNN. */
  onednnIsa: string | null;
  msPerStep: number;
  cpuMsPerStep: number;
  peakRssMiB: number;
}

/** Returns null when PYTHON imports torch, else the reason it cannot. */
function pytorchUnavailableReason(): string | null {
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.error) return `${PYTHON} failed to start (${probe.error.message})`;
  if (probe.status === 0) return null;
  const lastLine = probe.stderr.trim().split('\n').pop() ?? `exit code ${probe.status}`;
  return `${PYTHON} -c "import torch" failed: ${lastLine}`;
}

function runPytorch(network: string[]): PytorchResult {
  const script = join(import.meta.dirname, 'pytorch-student.py');
  const output = execFileSync(
    PYTHON,
    [
      script,
      ...network,
      '--batch',
      String(BATCH_SIZE),
      '--steps',
      String(steps),
      '--warmup',
      String(WARMUP_STEPS),
    ],
    { encoding: 'utf8' },
  );
  return JSON.parse(output) as PytorchResult;
}

/** Candidate throughput of one pool. */
interface PoolRun {
  processes: number;
  backend: string | null;
  seconds: number;
  candidatesPerMinute: number;
}

async function measurePool(processes: number, spec: ProxyTaskSpec, genomes: Genome[]): Promise<PoolRun> {
  const pool = new ProxyTaskPool({ processes });
  try {
    // NOTE: the pool gives a job to whichever process is free, so these warm-up jobs reach every
    // process only if all of them have started before the first job ends. On 2 loaded cores the
    // processes were ready after 1.5 s, 0.2 s apart, and one candidate took 4 s or more.
    await Promise.all(Array.from({ length: processes }, () => pool.evaluate(spec, genomes[0])));
    const started = performance.now();
    await Promise.all(genomes.map((genome) => pool.evaluate(spec, genome)));
    const seconds = (performance.now() - started) / 1000;
    return {
      processes,
      backend: pool.backend,
      seconds,
      candidatesPerMinute: (genomes.length * 60) / seconds,
    };
  } finally {
    await pool.close();
  }
}

/** Measures the 1-process and the 2-process pool on the same genomes of the dataset's default space. */
async function measureTwoProcessSpeedup(): Promise<{
  oneProcess: PoolRun;
  twoProcesses: PoolRun;
  label: string;
}> {
  const location = locateDefaultDataset();
  const dataset = await loadDatasetAt(location);
  const space = defaultSearchSpace(dataset.shape, dataset.numClasses);
  const genomes = Array.from({ length: poolGenomeCount }, (_, i) => sampleGenome(space, new Rng(i + 1)));
  const spec: ProxyTaskSpec = {
    dataset: location,
    datasetFingerprint: datasetFingerprint(dataset),
    space,
    proxy: poolProxy,
    searchBy: 'hard-label',
    // Hard-label training ignores the distillation settings. These are the demo's.
    kd: { lambda: 0.5, temperature: 2 },
    teacherLogitsPath: null,
  };
  const oneProcess = await measurePool(1, spec, genomes);
  const twoProcesses = await measurePool(2, spec, genomes);
  const label =
    `${genomes.length} genomes sampled with seeds 1-${genomes.length}, proxy ${poolProxy.trainSize} train / ` +
    `${poolProxy.valSize} val images of ${location.name}, ${poolProxy.epochs} epoch, batch ` +
    `${poolProxy.batchSize}, hard labels, backend ${twoProcesses.backend ?? 'unknown'}`;
  return { oneProcess, twoProcesses, label };
}

/** Figures of one network on both frameworks. */
interface Comparison {
  engine: Throughput;
  pytorch: (Throughput & { result: PytorchResult }) | null;
}

function printComparison(title: string, comparison: Comparison, engineTiming: StepTiming): void {
  const { engine, pytorch } = comparison;
  console.log(title);
  console.log(
    `  engine  ${engine.imagesPerSec.toFixed(1).padStart(7)} images/s (${engineTiming.wallMs.toFixed(0)} ms/step), ` +
      `${engine.cpuImagesPerSec.toFixed(1)} images/s by CPU time`,
  );
  if (pytorch === null) {
    console.log('  pytorch skipped');
    return;
  }
  console.log(
    `  pytorch ${pytorch.imagesPerSec.toFixed(1).padStart(7)} images/s (${pytorch.result.msPerStep.toFixed(0)} ms/step), ` +
      `${pytorch.cpuImagesPerSec.toFixed(1)} images/s by CPU time, peak RSS ${pytorch.result.peakRssMiB.toFixed(0)} MiB`,
  );
  console.log(
    `  engine / pytorch: ${(engine.imagesPerSec / pytorch.imagesPerSec).toFixed(2)} by wall time, ` +
      `${(engine.cpuImagesPerSec / pytorch.cpuImagesPerSec).toFixed(2)} by CPU time`,
  );
}

function pytorchThroughput(result: PytorchResult): Throughput & { result: PytorchResult } {
  return { ...throughput({ wallMs: result.msPerStep, cpuMs: result.cpuMsPerStep }), result };
}

function ratio(comparison: Comparison): number | null {
  if (comparison.pytorch === null) return null;
  return round(comparison.engine.imagesPerSec / comparison.pytorch.imagesPerSec, 3);
}

// --- measurements ---

console.log(formatMachine(describeMachine()));
const backend = await initBackend({ backend: 'wasm' });
const referenceSpace = defaultSearchSpace(INPUT_SHAPE, CLASSES);
const referenceGenome = parseGenome(referenceSpace, readFileSync(REFERENCE_GENOME_PATH, 'utf8'));
const unavailable = pytorchUnavailableReason();
let torchVersion = 'not available';
if (unavailable !== null) {
  console.log(`PyTorch skipped: ${unavailable}. Install Debian's python3-torch to compare with it.`);
}

// maxRSS (in KiB) only grows, so the smaller network runs first and its peak is read on its own.
const fourConvTiming = timeEngineFourConv();
const fourConvPeakRssMiB = process.resourceUsage().maxRSS / 1024;
const referenceTiming = await timeEngineStudent(referenceSpace, referenceGenome);
// The PyTorch and pool runs below happen in other processes, and loading the dataset for the pool
// would add to this process, so the engine's peak is read here.
const peakRssMiB = process.resourceUsage().maxRSS / 1024;

let referencePytorch: PytorchResult | null = null;
let fourConvPytorch: PytorchResult | null = null;
if (unavailable === null) {
  const planDir = mkdtempSync(join(tmpdir(), 'akd-bench-'));
  try {
    const planFile = join(planDir, 'reference-plan.json');
    writeFileSync(planFile, JSON.stringify(expandGenome(referenceSpace, referenceGenome)));
    referencePytorch = runPytorch([planFile]);
    fourConvPytorch = runPytorch(['--four-conv']);
    torchVersion =
      `${referencePytorch.torch}, ${referencePytorch.threads} thread, ` +
      `oneDNN kernels for ${referencePytorch.onednnIsa ?? 'no oneDNN'}`;
  } finally {
    rmSync(planDir, { recursive: true, force: true });
  }
}

const reference: Comparison = {
  engine: throughput(referenceTiming),
  pytorch: referencePytorch && pytorchThroughput(referencePytorch),
};
const fourConv: Comparison = {
  engine: throughput(fourConvTiming),
  pytorch: fourConvPytorch && pytorchThroughput(fourConvPytorch),
};
const pool = args['skip-pool'] ? null : await measureTwoProcessSpeedup();

// --- report ---

console.log(
  `engine: ${backend.name}, ${backend.threads ?? 1} thread, SIMD ${backend.simd ? 'on' : 'off'}; ` +
    `PyTorch: ${torchVersion}; batch ${BATCH_SIZE}, ${WARMUP_STEPS} warm-up + ${steps} timed steps, ` +
    'images/s from the median step',
);
printComparison(
  `reference student (${describeGenome(referenceSpace, referenceGenome)}, ` +
    `${(countFlops(referenceSpace, referenceGenome) / 1e6).toFixed(1)}M multiply-adds per image)`,
  reference,
  referenceTiming,
);
printComparison(
  `4-conv network (${(FOUR_CONV_MULTIPLY_ADDS / 1e6).toFixed(1)}M multiply-adds per image)`,
  fourConv,
  fourConvTiming,
);
console.log(
  `engine process peak RSS: ${peakRssMiB.toFixed(1)} MiB (${fourConvPeakRssMiB.toFixed(1)} MiB after the 4-conv network alone)`,
);
if (pool === null) {
  console.log('two-process speed-up: skipped (--skip-pool)');
} else {
  const speedup = pool.twoProcesses.candidatesPerMinute / pool.oneProcess.candidatesPerMinute;
  console.log(
    `two-process speed-up: ${speedup.toFixed(2)} (1 process: ${pool.oneProcess.candidatesPerMinute.toFixed(1)} ` +
      `candidates/min in ${pool.oneProcess.seconds.toFixed(1)} s, 2 processes: ${pool.twoProcesses.candidatesPerMinute.toFixed(1)} ` +
      `candidates/min in ${pool.twoProcesses.seconds.toFixed(1)} s; ${pool.label})`,
  );
}
console.log(formatLoadNow());

if (args.json) {
  const summary = {
    engine: { backend: backend.name, imagesPerSec: round(reference.engine.imagesPerSec, 1) },
    pytorch: reference.pytorch && {
      imagesPerSec: round(reference.pytorch.imagesPerSec, 1),
      onednnIsa: reference.pytorch.result.onednnIsa,
    },
    ratio: ratio(reference),
    twoProcessSpeedup:
      pool && round(pool.twoProcesses.candidatesPerMinute / pool.oneProcess.candidatesPerMinute, 3),
    peakRssMiB: round(peakRssMiB, 1),
    fourConv: {
      engine: round(fourConv.engine.imagesPerSec, 1),
      pytorch: fourConv.pytorch && round(fourConv.pytorch.imagesPerSec, 1),
      ratio: ratio(fourConv),
    },
  };
  console.log(JSON.stringify(summary));
}
