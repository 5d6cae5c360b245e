// Compares search strategies at equal budget on the real proxy task: random search, policy gradient
// with REINFORCE, policy gradient with PPO, and regularized evolution. Each strategy runs runSearch
// once per seed, with a MemorySearchStore and an evaluator that trains every candidate in a
// ProxyTaskPool. The script prints the best reward so far against the number of samples (distinct
// candidates), as the mean over seeds with the minimum and maximum.
//
//   npm run bench:search -- [--budget 24] [--seeds 1,2,3] [--generation-size 4]
//       [--proxy-train-size 1000] [--proxy-val-size 500] [--proxy-epochs 2] [--workers N]
//       [--search-by distillation|hard-label] [--teacher resnet] [--target-ms 6] [--report-every 4]
//       [--strategies random,reinforce,ppo,evolution] [--controller factorized|lstm]
//       [--population-size P] [--tournament-size S] [--quick] [--json]
//
// The dataset is the one AKD_DATASET names, fashion-mnist-subset unless set. Distillation uses the
// shipped teacher data/teachers/<dataset>/<teacher>: its logits on mini-train are computed once with
// the teacher model and written to a temporary .npy file. The reward is the MnasNet soft-constraint
// reward of the demo (accuracy × (latency / target)^-0.07), with the latency measured on the worker.
//
// All searches run at once and share the pool. The proxy seed fixes the split, the initial weights
// and the batch order, so training a genome again would give the same accuracy. The evaluator
// therefore trains each distinct genome once per run and hands the same result to every search that
// proposes it. A genome then has the same reward in every strategy and seed of a run, although its
// measured latency, and so its reward, varies between runs.
//
// --quick sets a budget of 8 and trains 1 epoch on 128 training images, with 128 validation images.
// The students stay near chance accuracy, so its figures only show that the script works. The default
// settings train up to 4 × 3 × 24 = 288 candidates, fewer when searches share genomes.
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { datasetFingerprint, loadDatasetAt, locateDefaultDataset, type ImageDataset } from '@akd/data';
import { initBackend, loadModel } from '@akd/engine';
import {
  PROXY_PRESETS,
  ProxyTaskPool,
  defaultProcessCount,
  proxySplit,
  type ProxyResult,
  type ProxySettings,
  type ProxyTaskSpec,
} from '@akd/proxy-task';
import {
  MemorySearchStore,
  rewardPresets,
  runSearch,
  type EvaluationResult,
  type Evaluator,
  type PolicyGradientController,
  type RewardConfig,
  type SearchSummary,
  type StrategySpec,
} from '@akd/search';
import { defaultSearchSpace, genomeHash, type Genome, type SearchSpace } from '@akd/search-space';
import { computeLogits, writeLogitsFile } from '@akd/teachers';
import { describeMachine, formatLoadNow, formatMachine, round } from './machine.js';
import {
  bestSoFar,
  checkpoints,
  formatSpread,
  formatTable,
  spread,
  type CurvePoint,
  type Spread,
} from './search-curves.js';

const { values: args } = parseArgs({
  options: {
    budget: { type: 'string' },
    seeds: { type: 'string', default: '1,2,3' },
    'generation-size': { type: 'string', default: '4' },
    'proxy-train-size': { type: 'string' },
    'proxy-val-size': { type: 'string' },
    'proxy-epochs': { type: 'string' },
    workers: { type: 'string' },
    'search-by': { type: 'string', default: 'distillation' },
    teacher: { type: 'string', default: 'resnet' },
    'target-ms': { type: 'string', default: '6' },
    'report-every': { type: 'string', default: '4' },
    strategies: { type: 'string', default: 'random,reinforce,ppo,evolution' },
    controller: { type: 'string', default: 'factorized' },
    'population-size': { type: 'string' },
    'tournament-size': { type: 'string' },
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});

/** Prints an invalid-option message and exits with status 2, as command-line tools do for usage errors. */
function exitWithUsageError(message: string): never {
  console.error(message);
  process.exit(2);
}

const STRATEGY_NAMES = ['random', 'reinforce', 'ppo', 'evolution'] as const;
type StrategyName = (typeof STRATEGY_NAMES)[number];
/** Distillation settings of the demo's searches: gentle, because the proxy training is short. */
const PROXY_KD = { lambda: 0.5, temperature: 2 };
const TEACHERS_DIR = join(import.meta.dirname, '..', 'data', 'teachers');

function positiveInteger(name: string, text: string | undefined, fallback?: number): number {
  if (text === undefined && fallback !== undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    exitWithUsageError(`Invalid --${name} ${String(text)}: use a whole number of at least 1.`);
  }
  return value;
}

function parseSeeds(text: string): number[] {
  const parts = text.split(',').map((part) => part.trim());
  const seeds = parts.map(Number);
  if (parts.some((part) => part === '') || seeds.some((seed) => !Number.isInteger(seed))) {
    exitWithUsageError(`Invalid --seeds ${text}: use whole numbers separated by commas, such as 1,2,3.`);
  }
  if (new Set(seeds).size !== seeds.length)
    exitWithUsageError(`Invalid --seeds ${text}: a seed is repeated.`);
  return seeds;
}

function parseStrategies(text: string): StrategyName[] {
  const names = text.split(',').map((part) => part.trim());
  for (const name of names) {
    if (!(STRATEGY_NAMES as readonly string[]).includes(name)) {
      exitWithUsageError(
        `Unknown strategy ${name} in --strategies: use some of ${STRATEGY_NAMES.join(', ')}.`,
      );
    }
  }
  return names as StrategyName[];
}

function parseChoice<T extends string>(name: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) {
    exitWithUsageError(`Invalid --${name} ${text}: use one of ${choices.join(', ')}.`);
  }
  return text as T;
}

const budget = positiveInteger('budget', args.budget, args.quick ? 8 : 24);
const seeds = parseSeeds(args.seeds);
const generationSize = positiveInteger('generation-size', args['generation-size']);
const reportEvery = positiveInteger('report-every', args['report-every']);
const workers = positiveInteger('workers', args.workers, defaultProcessCount());
const searchBy = parseChoice('search-by', args['search-by'], ['distillation', 'hard-label'] as const);
const controller = parseChoice<PolicyGradientController>('controller', args.controller, [
  'factorized',
  'lstm',
]);
const strategyNames = parseStrategies(args.strategies);
const targetMs = Number(args['target-ms']);
if (!(targetMs > 0)) exitWithUsageError(`Invalid --target-ms ${args['target-ms']}: use a positive number.`);
const proxy: ProxySettings = {
  ...PROXY_PRESETS.quick,
  trainSize: positiveInteger('proxy-train-size', args['proxy-train-size'], args.quick ? 128 : 1000),
  valSize: positiveInteger('proxy-val-size', args['proxy-val-size'], args.quick ? 128 : 500),
  epochs: positiveInteger('proxy-epochs', args['proxy-epochs'], args.quick ? 1 : PROXY_PRESETS.quick.epochs),
};
// Regularized evolution starts mutating once P genomes are in the population, so P must be well
// below the budget. These defaults are an estimate: a quarter of the budget, and S about P / 3.
const populationSize = positiveInteger(
  'population-size',
  args['population-size'],
  Math.max(generationSize, Math.round(budget / 4)),
);
const tournamentSize = positiveInteger(
  'tournament-size',
  args['tournament-size'],
  Math.min(populationSize, Math.max(2, Math.round(populationSize / 3))),
);
if (tournamentSize > populationSize) {
  exitWithUsageError(
    `Invalid --tournament-size ${tournamentSize}: it must not exceed the population size ${populationSize}.`,
  );
}
const rewardConfig: RewardConfig = { targetMs, ...rewardPresets.soft };

// Info logs of every search and worker would bury the results. Warnings and errors still print.
process.env.AKD_LOG_LEVEL ??= 'warn';
process.env.AKD_DATASET ??= 'fashion-mnist-subset';

function strategySpec(name: StrategyName, seed: number): StrategySpec {
  switch (name) {
    case 'random':
      return { kind: 'random', options: { seed } };
    case 'reinforce':
      return { kind: 'policy-gradient', options: { estimator: 'reinforce', controller, seed } };
    case 'ppo':
      return { kind: 'policy-gradient', options: { estimator: 'ppo', controller, seed } };
    case 'evolution':
      return { kind: 'evolution', options: { populationSize, tournamentSize, seed } };
  }
}

/** Settings of a shipped teacher, from its teacher.json. */
interface ShippedTeacher {
  dataset: string;
  datasetFingerprint: string;
  testTop1: number;
}

/**
 * Computes the logits of the shipped teacher `name` on mini-train and writes them to `dir`. Throws when
 * the teacher is missing or was trained on another dataset.
 */
async function writeTeacherLogits(dataset: ImageDataset, name: string, dir: string): Promise<string> {
  const datasetDir = join(TEACHERS_DIR, dataset.name);
  const teacherDir = join(datasetDir, name);
  if (!existsSync(join(teacherDir, 'teacher.json'))) {
    const available = existsSync(datasetDir) ? readdirSync(datasetDir).join(', ') : 'none';
    throw new Error(
      `Teacher ${name} not found in ${datasetDir} (shipped teachers: ${available}). ` +
        'Choose one with --teacher, or use --search-by hard-label.',
    );
  }
  const teacher = JSON.parse(readFileSync(join(teacherDir, 'teacher.json'), 'utf8')) as ShippedTeacher;
  if (teacher.datasetFingerprint !== datasetFingerprint(dataset)) {
    throw new Error(
      `Teacher ${name} in ${teacherDir} was trained on ${teacher.dataset}, whose fingerprint differs from ` +
        `the loaded ${dataset.name}. Set AKD_DATASET=${teacher.dataset}, or use --search-by hard-label.`,
    );
  }
  await initBackend();
  const model = await loadModel(teacherDir);
  const { train } = proxySplit(dataset, proxy);
  try {
    const { data, classes } = computeLogits(model, dataset.train, train, dataset.shape);
    const path = join(dir, `${name}-mini-train.npy`);
    await writeLogitsFile(path, data, train.length, classes);
    console.log(
      `teacher ${name}: ${(teacher.testTop1 * 100).toFixed(1)}% test top-1, logits on ${train.length} mini-train images`,
    );
    return path;
  } finally {
    model.dispose();
  }
}

/** Evaluator on the pool that trains each distinct genome once and shares the result between searches. */
class SharedEvaluator implements Evaluator {
  private readonly results = new Map<string, Promise<ProxyResult>>();
  trained = 0;
  reused = 0;

  constructor(
    private readonly pool: ProxyTaskPool,
    private readonly spec: ProxyTaskSpec,
    private readonly space: SearchSpace,
  ) {}

  async evaluate(genome: Genome): Promise<EvaluationResult> {
    const key = genomeHash(this.space, genome);
    let result = this.results.get(key);
    if (result === undefined) {
      result = this.pool.evaluate(this.spec, genome);
      this.results.set(key, result);
      this.trained++;
    } else {
      this.reused++;
    }
    return { ...(await result) } as unknown as EvaluationResult;
  }
}

/** Outcome of one search. */
interface SearchRun {
  strategy: StrategyName;
  seed: number;
  summary: SearchSummary;
  curve: CurvePoint[];
  failed: number;
}

async function runOne(
  name: StrategyName,
  seed: number,
  space: SearchSpace,
  evaluator: SharedEvaluator,
  counts: number[],
): Promise<SearchRun> {
  const store = new MemorySearchStore();
  const started = performance.now();
  const summary = await runSearch({
    space,
    strategy: strategySpec(name, seed),
    evaluator,
    store,
    budget,
    generationSize,
    concurrency: workers,
    rewardConfig,
    seed,
  });
  const candidates = await store.listCandidates();
  const curve = bestSoFar(candidates, counts);
  const failed = candidates.filter((candidate) => candidate.status === 'failed').length;
  const best = summary.best;
  console.log(
    `${name} seed ${seed}: ${summary.status} after ${summary.candidatesEvaluated} samples ` +
      `(${failed} failed) in ${((performance.now() - started) / 1000).toFixed(0)} s, best reward ` +
      `${(best?.reward ?? 0).toFixed(3)} (accuracy ${((best?.result?.accuracy ?? 0) * 100).toFixed(1)}%, ` +
      `${(best?.result?.latencyMs ?? 0).toFixed(2)} ms)`,
  );
  return { strategy: name, seed, summary, curve, failed };
}

/** Summary of one strategy over seeds. */
interface StrategySummary {
  curve: (Spread & { samples: number })[];
  finalBestReward: Spread;
  finalBestAccuracy: Spread;
  stalledSeeds: number[];
  failedCandidates: number;
}

function summarize(runs: SearchRun[], counts: number[]): StrategySummary {
  return {
    curve: counts.map((samples, i) => ({ samples, ...spread(runs.map((run) => run.curve[i].bestReward)) })),
    finalBestReward: spread(runs.map((run) => run.summary.best?.reward ?? 0)),
    finalBestAccuracy: spread(runs.map((run) => run.summary.best?.result?.accuracy ?? 0)),
    stalledSeeds: runs.filter((run) => run.summary.status === 'stalled').map((run) => run.seed),
    failedCandidates: runs.reduce((sum, run) => sum + run.failed, 0),
  };
}

function roundSpread(value: Spread): Spread {
  return { mean: round(value.mean, 4), min: round(value.min, 4), max: round(value.max, 4) };
}

// --- setup ---

const machine = describeMachine();
console.log(formatMachine(machine));
const started = performance.now();
const location = locateDefaultDataset();
const dataset = await loadDatasetAt(location);
const space = defaultSearchSpace(dataset.shape, dataset.numClasses);
const logitsDir = mkdtempSync(join(tmpdir(), 'akd-bench-search-'));
const pool = new ProxyTaskPool({ processes: workers });

try {
  const teacherLogitsPath =
    searchBy === 'distillation' ? await writeTeacherLogits(dataset, args.teacher, logitsDir) : null;
  const spec: ProxyTaskSpec = {
    dataset: location,
    datasetFingerprint: datasetFingerprint(dataset),
    space,
    proxy,
    searchBy,
    kd: PROXY_KD,
    teacherLogitsPath,
  };
  console.log(
    `dataset ${location.name}; proxy ${proxy.trainSize} train / ${proxy.valSize} val images, ${proxy.epochs} ` +
      `epoch${proxy.epochs === 1 ? '' : 's'}, batch ${proxy.batchSize}; ${searchBy}${searchBy === 'distillation' ? ` from ${args.teacher}` : ''}; ` +
      `latency target ${targetMs} ms; budget ${budget}, generation size ${generationSize}, seeds ` +
      `${seeds.join(', ')}; ${workers} worker processes; policy-gradient controller ${controller}; evolution ` +
      `population ${populationSize}, tournament ${tournamentSize}`,
  );

  // --- searches ---

  const counts = checkpoints(budget, reportEvery);
  const shared = new SharedEvaluator(pool, spec, space);
  const runs = await Promise.all(
    strategyNames.flatMap((name) => seeds.map((seed) => runOne(name, seed, space, shared, counts))),
  );

  // --- report ---

  const summaries = new Map(
    strategyNames.map((name) => [
      name,
      summarize(
        runs.filter((run) => run.strategy === name),
        counts,
      ),
    ]),
  );
  console.log(`\nbest reward so far, mean [min, max] over seeds ${seeds.join(', ')}`);
  const header = ['samples', ...strategyNames];
  const rows = counts.map((samples, i) => [
    String(samples),
    ...strategyNames.map((name) => formatSpread((summaries.get(name) as StrategySummary).curve[i])),
  ]);
  const accuracyRow = [
    'accuracy',
    ...strategyNames.map((name) => formatSpread((summaries.get(name) as StrategySummary).finalBestAccuracy)),
  ];
  console.log(formatTable([header, ...rows, accuracyRow]));
  console.log('(accuracy: mini-val top-1 of the best candidate at the end)');
  for (const [name, summary] of summaries) {
    if (summary.stalledSeeds.length > 0) {
      console.log(
        `note: ${name} stalled before the budget for seeds ${summary.stalledSeeds.join(', ')}; its curve keeps the last best reward`,
      );
    }
  }
  console.log(
    `trained ${shared.trained} distinct candidates for ${shared.trained + shared.reused} evaluations, ` +
      `backend ${pool.backend ?? 'unknown'}, ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  console.log(formatLoadNow());

  if (args.json) {
    const strategies = Object.fromEntries(
      [...summaries].map(([name, summary]) => [
        name,
        {
          finalBestReward: roundSpread(summary.finalBestReward),
          finalBestAccuracy: roundSpread(summary.finalBestAccuracy),
          curve: summary.curve.map((point) => ({ samples: point.samples, ...roundSpread(point) })),
          stalledSeeds: summary.stalledSeeds,
          failedCandidates: summary.failedCandidates,
        },
      ]),
    );
    const line = {
      machine,
      dataset: location.name,
      searchBy,
      teacher: searchBy === 'distillation' ? args.teacher : null,
      proxy,
      targetMs,
      budget,
      generationSize,
      seeds,
      workers,
      backend: pool.backend,
      candidatesTrained: shared.trained,
      evaluations: shared.trained + shared.reused,
      wallSeconds: round((performance.now() - started) / 1000, 1),
      strategies,
    };
    console.log(JSON.stringify(line));
  }
} finally {
  await pool.close();
  rmSync(logitsDir, { recursive: true, force: true });
}
