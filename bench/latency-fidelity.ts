// Checks how well the table latency model predicts measured latency. It measures a latency profile
// for the default search space at 28×28×1 with 10 classes on the active backend (AKD_BACKEND
// chooses it), times random students end to end, and compares the table's and the FLOPs fit's
// predictions with those times.
//
//   npx tsx bench/latency-fidelity.ts [--json] [--genomes 50] [--rounds 3] [--clock wall|cpu]
//                                     [--seed 1] [--save FILE] [--load FILE]
//
//   --genomes  random students to compare (default 50)
//   --rounds   times each student is timed, interleaved over students; the minimum counts (default 3)
//   --clock    wall: elapsed time, and the students are timed with measureLatencyMs (default).
//              cpu: process CPU time for the profile and the students, which other processes on a
//              loaded machine barely disturb. It is valid for the cpu backend and single-threaded
//              wasm only, because it adds up the time of all threads.
//   --save     write the measured profile as JSON;  --load  use a saved profile instead of measuring
//   --json     print a one-line JSON summary last
//
// On 2 shared AMD EPYC cores with wasm (SIMD, 1 thread) the profile (1,285 parts and 30 networks)
// takes about 1 minute and the 3 rounds of 50 students about 1 minute more.
// The run fails (exit code 1) when the Spearman rank correlation of the table is below 0.9.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type * as tfl from '@tensorflow/tfjs-layers';
import { Rng } from '@akd/core';
import { defaultSearchSpace, sampleGenome } from '@akd/search-space';
import {
  backendLabel,
  buildStudent,
  createLatencyModel,
  deviceLabel,
  initBackend,
  measureLatencyMs,
  measureLatencyProfile,
  meanAbsolutePercentError,
  parseLatencyProfile,
  pearson,
  spearman,
  timeModel,
  validateProfileFor,
  type LatencyClock,
  type LatencyProfile,
  type ProfileProgress,
} from '../libs/engine/src/index.js';

/** Smallest Spearman correlation between the table's predictions and measured latency that passes. */
const REQUIRED_SPEARMAN = 0.9;

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    genomes: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    clock: { type: 'string', default: 'wall' },
    seed: { type: 'string', default: '1' },
    save: { type: 'string' },
    load: { type: 'string' },
  },
});

function integerOption(text: string, option: string, minimum: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum) {
    throw new Error(`--${option} is "${text}", but it must be an integer of at least ${minimum}.`);
  }
  return value;
}

const genomeCount = integerOption(args.genomes, 'genomes', 2);
const roundCount = integerOption(args.rounds, 'rounds', 1);
const seed = integerOption(args.seed, 'seed', 0);
if (args.clock !== 'wall' && args.clock !== 'cpu') {
  throw new Error(`--clock is "${args.clock}", but it must be wall or cpu.`);
}
const clock: LatencyClock = args.clock;

const backend = await initBackend();
const space = defaultSearchSpace([28, 28, 1], 10);

const lastDecile: Partial<Record<ProfileProgress['phase'], number>> = {};
function reportProgress(progress: ProfileProgress): void {
  const decile = Math.floor((progress.done / progress.total) * 10);
  if (lastDecile[progress.phase] === decile) return;
  lastDecile[progress.phase] = decile;
  const seconds = (progress.elapsedMs / 1000).toFixed(0);
  console.error(`  ${progress.phase}: ${progress.done}/${progress.total} after ${seconds} s`);
}

async function obtainProfile(): Promise<LatencyProfile> {
  if (args.load === undefined) {
    console.error(`Measuring the latency profile on ${backendLabel(backend)} with the ${clock} clock:`);
    return measureLatencyProfile(space, { seed, clock, onProgress: reportProgress });
  }
  const loaded = parseLatencyProfile(JSON.parse(readFileSync(args.load, 'utf8')));
  validateProfileFor(loaded, { inputShape: space.inputShape, backend: backend.name });
  if (loaded.settings.clock !== clock) {
    throw new Error(
      `${args.load} was measured with the ${loaded.settings.clock} clock, but --clock is ${clock}.`,
    );
  }
  console.error(`Loaded the latency profile from ${args.load}.`);
  return loaded;
}

/**
 * Times a student as the measured latency model does: `measureLatencyMs` (5 warm-up runs, fastest
 * of 21) on the wall clock, or the same runs on the CPU clock.
 */
function measureNetworkMs(model: tfl.LayersModel): number {
  if (clock === 'wall') return measureLatencyMs(model, space.inputShape);
  return timeModel(model, space.inputShape, { warmupRuns: 5, runs: 21, clock }).minMs;
}

const profile = await obtainProfile();
if (args.save !== undefined) {
  writeFileSync(args.save, `${JSON.stringify(profile, null, 2)}\n`);
  console.error(`Saved the latency profile to ${args.save}.`);
}

const rng = new Rng(seed + 1);
const genomes = Array.from({ length: genomeCount }, () => sampleGenome(space, rng));
const table = createLatencyModel('table', profile);
const flops = createLatencyModel('flops', profile);
const tablePredicted = genomes.map((genome) => table.latencyMs(space, genome));
const flopsPredicted = genomes.map((genome) => flops.latencyMs(space, genome));
// The table without its calibrated network overhead: one call overhead plus the part sum.
const uncalibrated = tablePredicted.map((ms) => ms - profile.networkOverheadMs + profile.callOverheadMs);

// Each round times every student once, so a burst of load from other processes slows different
// students in different rounds, and the minimum over rounds keeps the least disturbed time.
const students = genomes.map((genome) => buildStudent(space, genome, seed));
const rounds: number[][] = [];
const networksStarted = performance.now();
for (let round = 0; round < roundCount; round++) rounds.push(students.map(measureNetworkMs));
const networksSeconds = (performance.now() - networksStarted) / 1000;
for (const model of students) model.dispose();
const measured = genomes.map((_, index) => Math.min(...rounds.map((times) => times[index])));

const tableSpearman = spearman(tablePredicted, measured);
const summary = {
  backend: backendLabel(profile.backend),
  clock,
  device: deviceLabel(profile.device),
  loadAverage: Number(loadavg()[0].toFixed(2)),
  profileSeconds: Number((profile.durationMs / 1000).toFixed(1)),
  parts: Object.keys(profile.entries).length,
  callOverheadMs: profile.callOverheadMs,
  networkOverheadMs: profile.networkOverheadMs,
  genomes: genomeCount,
  rounds: roundCount,
  networksSeconds: Number(networksSeconds.toFixed(1)),
  measuredMs: { min: Math.min(...measured), max: Math.max(...measured) },
  /** Spearman correlation of the first two rounds: how well the measurement agrees with itself. */
  roundSpearman: roundCount >= 2 ? spearman(rounds[0], rounds[1]) : null,
  table: {
    spearman: tableSpearman,
    pearson: pearson(tablePredicted, measured),
    mapePercent: meanAbsolutePercentError(tablePredicted, measured),
    uncalibratedMapePercent: meanAbsolutePercentError(uncalibrated, measured),
  },
  flops: {
    fitR2: profile.flopsFit?.r2 ?? null,
    fitNetworks: profile.networks.length,
    spearman: spearman(flopsPredicted, measured),
    mapePercent: meanAbsolutePercentError(flopsPredicted, measured),
  },
  requiredSpearman: REQUIRED_SPEARMAN,
  pass: tableSpearman >= REQUIRED_SPEARMAN,
};

const f3 = (value: number | null): string => (value === null ? 'n/a' : value.toFixed(3));
const percent = (value: number): string => `${value.toFixed(1)} %`;
console.log(
  `Backend ${summary.backend}, ${clock} clock, on ${summary.device}; 1-minute load average ${summary.loadAverage}`,
);
console.log(
  `Profile: ${summary.parts} parts measured in ${summary.profileSeconds} s` +
    (profile.complete ? '' : ` (incomplete, ${profile.skippedKeys} parts skipped)`) +
    `; call overhead ${f3(summary.callOverheadMs)} ms, network overhead ${f3(summary.networkOverheadMs)} ms`,
);
console.log(
  `Students: ${genomeCount} × ${roundCount} rounds in ${summary.networksSeconds} s, ` +
    `${summary.measuredMs.min.toFixed(2)} to ${summary.measuredMs.max.toFixed(2)} ms; ` +
    `Spearman of round 1 against round 2 ${f3(summary.roundSpearman)}`,
);
console.log(
  `table: Spearman ${f3(summary.table.spearman)} (required ≥ ${REQUIRED_SPEARMAN}), ` +
    `Pearson ${f3(summary.table.pearson)}, mean absolute error ${percent(summary.table.mapePercent)} ` +
    `(${percent(summary.table.uncalibratedMapePercent)} without the network overhead)`,
);
console.log(
  `flops: fit R² ${f3(summary.flops.fitR2)} over ${summary.flops.fitNetworks} networks; on these students ` +
    `Spearman ${f3(summary.flops.spearman)}, mean absolute error ${percent(summary.flops.mapePercent)}`,
);
console.log(summary.pass ? 'PASS' : 'FAIL: the table model ranks students worse than required.');
if (args.json) console.log(JSON.stringify(summary));
if (!summary.pass) process.exitCode = 1;
