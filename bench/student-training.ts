// Measures how fast sampled students of the default search space (28x28x1 input, 10 classes) train:
// milliseconds per step and images per second, for each genome seed, as wall time and as the process
// CPU time. On a shared machine the CPU time is the steadier number, since other processes stretch the
// wall time. Optionally lists the kernels that one step spends its CPU time in, and runs the same network
// in PyTorch (bench/pytorch-student.py) for comparison.
//
//   npx tsx bench/student-training.ts [--seeds 3,5,7] [--steps 8] [--batch 32] [--backend wasm]
//                                     [--profile] [--pytorch] [--plans DIR]
//
// Each seed builds the student of genome `sampleGenome(space, new Rng(seed))` with initial-weight seed 1
// and trains it with trainModel (Adam, hard-label loss) on random images. Two warm-up steps are not
// timed. --profile trains the student again for 3 steps and times every kernel by CPU time. --pytorch needs Debian's
// python3-torch (/usr/bin/python3) and runs it on one thread. --plans writes each expanded network plan
// as DIR/plan-SEED.json, the input of bench/pytorch-student.py.
//
// About 15 s per seed on wasm with the default settings, plus 10 s with --profile.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@akd/core';
import {
  countFlops,
  defaultSearchSpace,
  describeGenome,
  expandGenome,
  sampleGenome,
} from '@akd/search-space';
import {
  type BackendName,
  type BatchSource,
  type TrainingBatch,
  buildStudent,
  initBackend,
  trainModel,
} from '../libs/engine/src/index.js';

const { values: args } = parseArgs({
  options: {
    seeds: { type: 'string', default: '3,5,7' },
    steps: { type: 'string', default: '8' },
    batch: { type: 'string', default: '32' },
    backend: { type: 'string', default: 'wasm' },
    profile: { type: 'boolean', default: false },
    pytorch: { type: 'boolean', default: false },
    plans: { type: 'string' },
  },
});

const INPUT_SHAPE = [28, 28, 1] as const;
const CLASSES = 10;
const WARMUP_STEPS = 2;
/** Steps that --profile times kernels in, counting the warm-up steps of its own model. */
const PROFILED_STEPS = 3;
const PYTHON = '/usr/bin/python3';

/** Random images and labels, the same every epoch. */
class RandomBatches implements BatchSource {
  readonly shape = INPUT_SHAPE;
  private readonly batch: TrainingBatch;

  constructor(
    readonly count: number,
    batchSize: number,
  ) {
    const rng = new Rng(7);
    const x = new Float32Array(batchSize * INPUT_SHAPE[0] * INPUT_SHAPE[1] * INPUT_SHAPE[2]);
    for (let i = 0; i < x.length; i++) x[i] = rng.next();
    const labels = Int32Array.from({ length: batchSize }, (_, i) => i % CLASSES);
    this.batch = { x, labels, rows: Int32Array.from({ length: batchSize }, (_, i) => i), size: batchSize };
  }

  *batches(): Iterable<TrainingBatch> {
    for (let served = 0; served < this.count; served += this.batch.size) yield this.batch;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Makes tf.profile time kernels by the CPU time of this process instead of the wall time. */
function timeKernelsByCpu(): void {
  const backend = tf.backend() as unknown as { time(f: () => void): Promise<{ kernelMs: number }> };
  backend.time = async (f) => {
    const start = cpuMs();
    f();
    return { kernelMs: cpuMs() - start };
  };
}

interface StepTimes {
  wallMs: number;
  cpuMs: number;
}

async function trainSteps(seed: number, steps: number, batchSize: number): Promise<StepTimes[]> {
  const space = defaultSearchSpace([...INPUT_SHAPE], CLASSES);
  const model = buildStudent(space, sampleGenome(space, new Rng(seed)), 1);
  const times: StepTimes[] = [];
  let wall = performance.now();
  let cpu = cpuMs();
  await trainModel(model, new RandomBatches((steps + WARMUP_STEPS) * batchSize, batchSize), {
    epochs: 1,
    batchSize,
    learningRate: 0.005,
    loss: { kind: 'hard-label' },
    onStep: () => {
      const nowWall = performance.now();
      const nowCpu = cpuMs();
      times.push({ wallMs: nowWall - wall, cpuMs: nowCpu - cpu });
      wall = nowWall;
      cpu = nowCpu;
    },
  });
  model.dispose();
  return times.slice(WARMUP_STEPS);
}

async function profileSteps(seed: number, batchSize: number): Promise<void> {
  timeKernelsByCpu();
  const info = await tf.profile(async () => {
    await trainSteps(seed, PROFILED_STEPS - WARMUP_STEPS, batchSize);
  });
  const byName = new Map<string, { ms: number; calls: number }>();
  const byShapes = new Map<string, { ms: number; calls: number }>();
  const add = (totals: Map<string, { ms: number; calls: number }>, key: string, ms: number) => {
    const entry = totals.get(key) ?? { ms: 0, calls: 0 };
    entry.ms += ms;
    entry.calls += 1;
    totals.set(key, entry);
  };
  for (const kernel of info.kernels) {
    // Ops built with customGrad (fused conv2d) appear as "<name>__op" around their kernels.
    if (kernel.name.endsWith('__op')) continue;
    const ms = Number(await kernel.kernelTimeMs);
    add(byName, kernel.name, ms);
    add(byShapes, `${kernel.name} ${JSON.stringify(kernel.inputShapes)}`, ms);
  }
  const print = (totals: Map<string, { ms: number; calls: number }>, count: number) => {
    const rows = [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, count);
    for (const [key, entry] of rows) {
      const ms = (entry.ms / PROFILED_STEPS).toFixed(1).padStart(7);
      console.log(`    ${ms} ms ${String(entry.calls / PROFILED_STEPS).padStart(5)} calls  ${key}`);
    }
  };
  const total = [...byName.values()].reduce((sum, entry) => sum + entry.ms, 0);
  console.log(`  kernel CPU time per step: ${(total / PROFILED_STEPS).toFixed(0)} ms, by kernel:`);
  print(byName, 20);
  console.log('  by kernel and input shapes:');
  print(byShapes, 15);
}

function runPytorch(planFile: string, steps: number, batchSize: number): void {
  const output = execFileSync(
    PYTHON,
    [
      join(import.meta.dirname, 'pytorch-student.py'),
      planFile,
      '--batch',
      String(batchSize),
      '--steps',
      String(steps),
    ],
    { encoding: 'utf8' },
  );
  const result = JSON.parse(output) as { msPerStep: number; cpuMsPerStep: number; torch: string };
  console.log(
    `  pytorch ${result.torch} (1 thread): ${result.msPerStep.toFixed(0)} ms/step wall, ` +
      `${result.cpuMsPerStep.toFixed(0)} ms/step CPU, ${((batchSize * 1000) / result.cpuMsPerStep).toFixed(1)} images/s by CPU time`,
  );
}

const seeds = args.seeds.split(',').map(Number);
const steps = Number(args.steps);
const batchSize = Number(args.batch);
const info = await initBackend({ backend: args.backend as BackendName });
console.log(
  `backend ${info.name}, batch ${batchSize}, ${steps} timed steps, load average ${loadavg()[0].toFixed(1)}`,
);
const planDir = args.plans ?? (args.pytorch ? mkdtempSync(join(tmpdir(), 'akd-plans-')) : undefined);
if (planDir !== undefined) mkdirSync(planDir, { recursive: true });

for (const seed of seeds) {
  const space = defaultSearchSpace([...INPUT_SHAPE], CLASSES);
  const genome = sampleGenome(space, new Rng(seed));
  const flops = countFlops(space, genome);
  console.log(
    `seed ${seed}: ${describeGenome(space, genome)}, ${(flops / 1e6).toFixed(1)}M multiply-adds per image`,
  );

  const times = await trainSteps(seed, steps, batchSize);
  const wallMs = median(times.map((t) => t.wallMs));
  const stepCpuMs = median(times.map((t) => t.cpuMs));
  console.log(
    `  ${info.name}: ${wallMs.toFixed(0)} ms/step wall (${((batchSize * 1000) / wallMs).toFixed(1)} images/s), ` +
      `${stepCpuMs.toFixed(0)} ms/step CPU (${((batchSize * 1000) / stepCpuMs).toFixed(1)} images/s)`,
  );
  if (args.profile) await profileSteps(seed, batchSize);

  if (planDir !== undefined) {
    const planFile = join(planDir, `plan-${seed}.json`);
    writeFileSync(planFile, JSON.stringify(expandGenome(space, genome)));
    if (args.pytorch) runPytorch(planFile, steps, batchSize);
  }
}
if (args.pytorch && args.plans === undefined && planDir !== undefined)
  rmSync(planDir, { recursive: true, force: true });
