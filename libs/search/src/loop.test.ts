import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AkdError } from '@akd/core';
import { defaultSearchSpace, genomeHash, type Genome } from '@akd/search-space';
import type { EvaluationContext, EvaluationResult, Evaluator } from './evaluator.js';
import { runSearch, type RunSearchOptions, type SearchProgressEvent, type SearchSummary } from './loop.js';
import { MemorySearchStore } from './memory-store.js';
import type { StrategySpec } from './registry.js';
import type {
  CandidateError,
  GenerationStats,
  ProposedGenome,
  SearchCheckpoint,
  SearchStore,
} from './store.js';
import { HiddenTargetEvaluator, SilentLogger, randomTarget, testSpace } from './test-fixtures.js';

const space = testSpace();
const target = randomTarget(space, 11);
/** Fails about a quarter of genomes: those whose first block uses a plain convolution. */
const failsOnConv = (genome: Genome): boolean => genome.blocks[0].op === 'conv';

function baseOptions(overrides: Partial<RunSearchOptions> = {}): RunSearchOptions {
  return {
    space,
    strategy: { kind: 'policy-gradient', options: { learningRate: 0.3 } },
    evaluator: new HiddenTargetEvaluator(space, target, { fails: failsOnConv }),
    store: new MemorySearchStore(),
    budget: 24,
    generationSize: 6,
    concurrency: 1,
    rewardConfig: { targetMs: 10 },
    seed: 42,
    logger: new SilentLogger(),
    ...overrides,
  };
}

/** Everything a finished experiment stored, for comparing two runs. */
async function contents(store: MemorySearchStore): Promise<unknown> {
  return {
    checkpoint: await store.loadCheckpoint(),
    generations: await store.listGenerations(),
    candidates: await store.listCandidates(),
  };
}

class SimulatedCrash extends Error {
  constructor() {
    super('Simulated crash');
    this.name = 'SimulatedCrash';
  }
}

/**
 * Store wrapper that simulates a process crash at the `crashAt`-th write (1-based): the write is
 * lost when `commit` is false and kept when it is true, and every later call fails as if the
 * process were gone.
 */
class CrashingStore implements SearchStore {
  writes = 0;
  crashed = false;

  constructor(
    private readonly inner: MemorySearchStore,
    private readonly crashAt: number,
    private readonly commit: boolean,
  ) {}

  loadCheckpoint(): Promise<SearchCheckpoint | null> {
    return this.read(() => this.inner.loadCheckpoint());
  }
  loadGeneration(index: number) {
    return this.read(() => this.inner.loadGeneration(index));
  }
  listCandidates() {
    return this.read(() => this.inner.listCandidates());
  }
  saveCheckpoint(checkpoint: SearchCheckpoint) {
    return this.write(() => this.inner.saveCheckpoint(checkpoint));
  }
  beginGeneration(index: number, genomes: readonly ProposedGenome[], rngState: readonly number[]) {
    return this.write(() => this.inner.beginGeneration(index, genomes, rngState));
  }
  completeCandidate(candidateId: string, result: EvaluationResult, reward: number) {
    return this.write(() => this.inner.completeCandidate(candidateId, result, reward));
  }
  failCandidate(candidateId: string, error: CandidateError) {
    return this.write(() => this.inner.failCandidate(candidateId, error));
  }
  completeGeneration(index: number, stats: GenerationStats, checkpoint: SearchCheckpoint) {
    return this.write(() => this.inner.completeGeneration(index, stats, checkpoint));
  }

  private async read<T>(call: () => Promise<T>): Promise<T> {
    if (this.crashed) throw new SimulatedCrash();
    return call();
  }

  private async write<T>(call: () => Promise<T>): Promise<T> {
    if (this.crashed) throw new SimulatedCrash();
    this.writes += 1;
    if (this.writes === this.crashAt) {
      this.crashed = true;
      if (this.commit) await call();
      throw new SimulatedCrash();
    }
    return call();
  }
}

/** Every strategy and controller, each under the name its resume tests use. */
const strategies: [name: string, spec: StrategySpec][] = [
  ['policy-gradient', { kind: 'policy-gradient', options: { learningRate: 0.3 } }],
  [
    'policy-gradient PPO',
    { kind: 'policy-gradient', options: { learningRate: 0.3, estimator: 'ppo', ppoEpochs: 3 } },
  ],
  [
    'policy-gradient LSTM',
    { kind: 'policy-gradient', options: { controller: 'lstm', lstmHiddenSize: 8, seed: 2 } },
  ],
  ['random', { kind: 'random' }],
  ['evolution', { kind: 'evolution', options: { populationSize: 6, tournamentSize: 2 } }],
];

describe('runSearch', () => {
  it('spends the budget in generations', async () => {
    const store = new MemorySearchStore();
    const events: SearchProgressEvent[] = [];
    const summary = await runSearch(
      baseOptions({ store, budget: 10, generationSize: 4, onProgress: (e) => events.push(e) }),
    );

    assert.equal(summary.status, 'budget-exhausted');
    assert.equal(summary.candidatesEvaluated, 10);
    assert.equal(summary.generationsCompleted, 3);
    const generations = await store.listGenerations();
    // The last generation shrinks to the 2 candidates left in the budget.
    assert.deepEqual(
      generations.map((g) => g.candidateIds.length),
      [4, 4, 2],
    );
    assert.ok(generations.every((g) => g.status === 'completed'));
    const candidates = await store.listCandidates();
    assert.equal(candidates.length, 10);
    assert.ok(candidates.every((c) => c.status !== 'pending'));
    assert.equal(events.filter((e) => e.type === 'generation-completed').length, 3);
    assert.equal(
      events.filter((e) => e.type === 'candidate-completed' || e.type === 'candidate-failed').length,
      10,
    );
  });

  it('reports the best completed candidate', async () => {
    const store = new MemorySearchStore();
    const summary = await runSearch(baseOptions({ store }));
    const completed = (await store.listCandidates()).filter((c) => c.status === 'completed');
    const maxReward = Math.max(...completed.map((c) => c.reward as number));
    assert.equal(summary.best?.reward, maxReward);
    assert.equal(summary.best?.status, 'completed');
  });

  it('does not re-evaluate duplicate genomes', async () => {
    const store = new MemorySearchStore();
    const evaluator = new HiddenTargetEvaluator(space, target);
    // A high learning rate collapses the policy quickly, so later generations repeat genomes.
    const summary = await runSearch(
      baseOptions({
        store,
        evaluator,
        strategy: { kind: 'policy-gradient', options: { learningRate: 2, entropyCoefficient: 0 } },
        budget: 60,
        generationSize: 10,
        maxStalledGenerations: 3,
      }),
    );

    const generations = await store.listGenerations();
    const proposals = generations.reduce((sum, g) => sum + g.candidateIds.length, 0);
    const candidates = await store.listCandidates();
    assert.ok(proposals > candidates.length, `${proposals} proposals for ${candidates.length} candidates`);

    const evaluatedHashes = evaluator.calls.map((c) => c.hash);
    assert.equal(new Set(evaluatedHashes).size, evaluatedHashes.length, 'a hash was evaluated twice');
    assert.equal(evaluator.calls.length, candidates.length);
    assert.equal(new Set(candidates.map((c) => c.hash)).size, candidates.length);

    for (const generation of generations) {
      generation.genomes.forEach((genome, i) => {
        const candidate = candidates.find((c) => c.id === generation.candidateIds[i]);
        assert.equal(candidate?.hash, genomeHash(space, genome));
      });
      const stats = generation.stats as GenerationStats;
      const created = candidates.filter((c) => c.generation === generation.index).length;
      assert.equal(stats.newCandidates, created);
    }
    assert.equal(summary.status, 'stalled');
    assert.ok(summary.candidatesEvaluated < 60);
  });

  it('records failed evaluations and continues', async () => {
    const store = new MemorySearchStore();
    const summary = await runSearch(baseOptions({ store, budget: 30 }));
    assert.equal(summary.status, 'budget-exhausted');
    assert.equal(summary.candidatesEvaluated, 30);

    const candidates = await store.listCandidates();
    const failed = candidates.filter((c) => c.status === 'failed');
    assert.ok(failed.length > 0, 'no candidate failed');
    for (const candidate of failed) {
      assert.ok(failsOnConv(candidate.genome));
      assert.equal(candidate.reward, null);
      assert.equal(candidate.result, null);
      assert.equal(candidate.error?.name, 'Error');
      assert.match(
        candidate.error?.message ?? '',
        new RegExp(`Simulated training failure for ${candidate.id}`),
      );
    }
    assert.ok(candidates.filter((c) => c.status === 'completed').every((c) => !failsOnConv(c.genome)));

    // The update counts failed proposals with reward 0.
    for (const generation of await store.listGenerations()) {
      const stats = generation.stats as GenerationStats;
      const slots = generation.candidateIds.map((id) => candidates.find((c) => c.id === id));
      const rewards = slots.map((c) => (c?.status === 'completed' ? (c.reward as number) : 0));
      const expectedMean = rewards.reduce((a, b) => a + b, 0) / rewards.length;
      assert.equal(stats.meanReward, expectedMean);
      assert.equal(stats.strategy.meanReward, expectedMean, 'mean reward the strategy received');
      assert.equal(stats.failedProposals, slots.filter((c) => c?.status === 'failed').length);
    }
  });

  it('fails candidates with invalid results', async () => {
    const store = new MemorySearchStore();
    const evaluator: Evaluator = {
      async evaluate(genome) {
        const accuracy = genome.blocks[0].kernelSize === 5 ? 1.5 : 0.5;
        return { accuracy, latencyMs: 10, params: 1, flops: 1 };
      },
    };
    await runSearch(baseOptions({ store, evaluator, budget: 12 }));
    const candidates = await store.listCandidates();
    const failed = candidates.filter((c) => c.status === 'failed');
    assert.ok(failed.length > 0);
    for (const candidate of failed) {
      assert.equal(candidate.genome.blocks[0].kernelSize, 5);
      assert.equal(candidate.error?.code, 'INVALID_INPUT');
      assert.match(candidate.error?.message ?? '', /Invalid accuracy 1\.5/);
    }
  });

  for (const concurrency of [1, 3]) {
    it(`bounds evaluations in flight at ${concurrency}`, async () => {
      const evaluator = new HiddenTargetEvaluator(space, target, { delayMs: 5 });
      await runSearch(baseOptions({ evaluator, concurrency, budget: 16, generationSize: 8 }));
      assert.equal(evaluator.maxInFlight, concurrency);
    });
  }

  it('gives the same results at any concurrency', async () => {
    const serial = new MemorySearchStore();
    const parallel = new MemorySearchStore();
    await runSearch(baseOptions({ store: serial, concurrency: 1 }));
    await runSearch(
      baseOptions({
        store: parallel,
        concurrency: 4,
        evaluator: new HiddenTargetEvaluator(space, target, { fails: failsOnConv, delayMs: 1 }),
      }),
    );
    assert.deepEqual(await contents(parallel), await contents(serial));
  });

  it('rejects invalid options', async () => {
    await assert.rejects(runSearch(baseOptions({ budget: 0 })), /budget=0: expected a positive integer/);
    await assert.rejects(runSearch(baseOptions({ generationSize: 2.5 })), /generationSize=2\.5/);
    await assert.rejects(runSearch(baseOptions({ concurrency: 0 })), /concurrency=0/);
    await assert.rejects(runSearch(baseOptions({ rewardConfig: { targetMs: -1 } })), /latency target -1 ms/);
  });

  it('rejects resuming with another strategy or space', async () => {
    const store = new MemorySearchStore();
    await runSearch(baseOptions({ store, budget: 6 }));
    await assert.rejects(
      runSearch(baseOptions({ store, budget: 12, strategy: { kind: 'random' } })),
      (error: unknown) =>
        error instanceof AkdError &&
        error.code === 'CONFLICT' &&
        /started with policy-gradient/.test(error.message),
    );
    await assert.rejects(
      runSearch(baseOptions({ store, budget: 12, space: defaultSearchSpace([28, 28, 1], 10) })),
      (error: unknown) =>
        error instanceof AkdError &&
        error.code === 'CONFLICT' &&
        /different search space/.test(error.message),
    );
  });

  it('extends a finished search when the budget grows', async () => {
    const reference = new MemorySearchStore();
    await runSearch(baseOptions({ store: reference, budget: 24 }));
    const extended = new MemorySearchStore();
    const first = await runSearch(baseOptions({ store: extended, budget: 12 }));
    assert.equal(first.status, 'budget-exhausted');
    await runSearch(baseOptions({ store: extended, budget: 24 }));
    assert.deepEqual(await contents(extended), await contents(reference));
  });

  it('rethrows store errors after evaluations settle', async () => {
    const inner = new MemorySearchStore();
    const store = new CrashingStore(inner, 3, false);
    const evaluator = new HiddenTargetEvaluator(space, target, { delayMs: 2 });
    await assert.rejects(runSearch(baseOptions({ store, evaluator, concurrency: 3 })), SimulatedCrash);
    // No evaluation is left running, and none started after the failure.
    assert.equal(evaluator.maxInFlight, 3);
    assert.ok(evaluator.calls.length <= 4, `${evaluator.calls.length} evaluations started`);
  });
});

describe('runSearch resume', () => {
  for (const [name, strategy] of strategies) {
    for (const commit of [false, true]) {
      it(`${name} after a crash at every write, ${commit ? 'committed' : 'lost'}`, async () => {
        const reference = new MemorySearchStore();
        const referenceSummary = await runSearch(baseOptions({ strategy, store: reference }));
        const expected = await contents(reference);

        let writes = 0;
        const counter = new CrashingStore(new MemorySearchStore(), Infinity, false);
        await runSearch(baseOptions({ strategy, store: counter }));
        writes = counter.writes;
        assert.ok(writes > 20, `only ${writes} writes`);

        for (let crashAt = 1; crashAt <= writes; crashAt++) {
          const inner = new MemorySearchStore();
          await assert.rejects(
            runSearch(
              baseOptions({ strategy, store: new CrashingStore(inner, crashAt, commit), concurrency: 2 }),
            ),
            SimulatedCrash,
          );
          const summary = await runSearch(baseOptions({ strategy, store: inner, concurrency: 3 }));
          assert.deepEqual(summary, referenceSummary, `summary after a crash at write ${crashAt}`);
          assert.deepEqual(await contents(inner), expected, `store after a crash at write ${crashAt}`);
        }
      });
    }
  }

  it('survives repeated crashes', async () => {
    const reference = new MemorySearchStore();
    await runSearch(baseOptions({ store: reference }));
    const inner = new MemorySearchStore();
    let runs = 0;
    let summary: SearchSummary | null = null;
    while (summary === null) {
      runs += 1;
      assert.ok(runs < 100, 'the search made no progress');
      try {
        summary = await runSearch(baseOptions({ store: new CrashingStore(inner, 4, runs % 2 === 0) }));
      } catch (error) {
        assert.ok(error instanceof SimulatedCrash);
      }
    }
    assert.ok(runs > 5);
    assert.deepEqual(await contents(inner), await contents(reference));
  });

  for (const abortAfter of [1, 5, 6, 7, 13, 24]) {
    it(`continues after an abort at evaluation ${abortAfter}`, async () => {
      const reference = new MemorySearchStore();
      await runSearch(baseOptions({ store: reference }));

      const store = new MemorySearchStore();
      const controller = new AbortController();
      const inner = new HiddenTargetEvaluator(space, target, { fails: failsOnConv, delayMs: 2 });
      let started = 0;
      const evaluator: Evaluator = {
        evaluate(genome: Genome, context: EvaluationContext) {
          started += 1;
          if (started === abortAfter) controller.abort();
          return inner.evaluate(genome, context);
        },
      };
      const events: SearchProgressEvent[] = [];
      const stopped = await runSearch(
        baseOptions({
          store,
          evaluator,
          concurrency: 2,
          signal: controller.signal,
          onProgress: (e) => events.push(e),
        }),
      );
      assert.equal(stopped.status, 'aborted');
      assert.equal(started, abortAfter, 'no evaluation starts after the abort');
      const afterAbort = await store.listCandidates();
      assert.ok(afterAbort.length > 0);

      const resumedEvents: SearchProgressEvent[] = [];
      await runSearch(baseOptions({ store, concurrency: 2, onProgress: (e) => resumedEvents.push(e) }));
      assert.deepEqual(await contents(store), await contents(reference));
      if (afterAbort.some((c) => c.status === 'pending')) {
        const first = resumedEvents[0];
        assert.equal(first.type, 'generation-started');
        assert.equal(first.type === 'generation-started' && first.resumed, true);
      }
    });
  }

  it('returns at once when aborted before starting', async () => {
    const store = new MemorySearchStore();
    const evaluator = new HiddenTargetEvaluator(space, target);
    const summary = await runSearch(baseOptions({ store, evaluator, signal: AbortSignal.abort() }));
    assert.equal(summary.status, 'aborted');
    assert.equal(summary.generationsCompleted, 0);
    assert.equal(evaluator.calls.length, 0);
  });
});

describe('MemorySearchStore', () => {
  const checkpoint: SearchCheckpoint = {
    spaceFingerprint: 'f',
    strategyKind: 'random',
    strategyState: { version: 1 },
    rngState: [1, 2, 3, 4],
    nextGeneration: 0,
    candidatesEvaluated: 0,
    stalledGenerations: 0,
  };
  const genome = randomTarget(space, 1);
  const proposal = { hash: genomeHash(space, genome), genome };
  const result = { accuracy: 0.5, latencyMs: 3, params: 1, flops: 1 };

  it('rejects a second initial checkpoint', async () => {
    const store = new MemorySearchStore();
    await store.saveCheckpoint(checkpoint);
    await assert.rejects(store.saveCheckpoint(checkpoint), /already has a checkpoint/);
  });

  it('rejects generations out of order', async () => {
    const store = new MemorySearchStore();
    await assert.rejects(
      store.beginGeneration(0, [proposal], [1, 2, 3, 4]),
      /checkpoint expects generation undefined/,
    );
    await store.saveCheckpoint(checkpoint);
    await assert.rejects(store.beginGeneration(1, [proposal], [1, 2, 3, 4]), /expects generation 0/);
    await store.beginGeneration(0, [proposal], [1, 2, 3, 4]);
    await assert.rejects(store.beginGeneration(0, [proposal], [1, 2, 3, 4]), /already begun/);
  });

  it('maps equal hashes to one candidate', async () => {
    const store = new MemorySearchStore();
    await store.saveCheckpoint(checkpoint);
    const snapshot = await store.beginGeneration(0, [proposal, proposal], [1, 2, 3, 4]);
    assert.equal(snapshot.candidates.length, 1);
    assert.deepEqual(snapshot.generation.candidateIds, ['candidate-1', 'candidate-1']);
  });

  it('completes a generation only when settled', async () => {
    const store = new MemorySearchStore();
    await store.saveCheckpoint(checkpoint);
    const snapshot = await store.beginGeneration(0, [proposal], [1, 2, 3, 4]);
    const id = snapshot.generation.candidateIds[0];
    const stats = {} as GenerationStats;
    const next = { ...checkpoint, nextGeneration: 1 };
    await assert.rejects(store.completeGeneration(0, stats, next), /candidate-1 are pending/);
    await store.completeCandidate(id, result, 0.5);
    await assert.rejects(store.completeCandidate(id, result, 0.5), /already completed/);
    await assert.rejects(
      store.failCandidate('candidate-9', { name: 'Error', message: 'x' }),
      /candidate-9 not found/,
    );
    await assert.rejects(store.completeGeneration(0, stats, checkpoint), /next generation is 0/);
    await store.completeGeneration(0, stats, next);
    await assert.rejects(store.completeGeneration(0, stats, next), /it is not open/);
    assert.equal((await store.loadCheckpoint())?.nextGeneration, 1);
  });

  it('returns copies', async () => {
    const store = new MemorySearchStore();
    await store.saveCheckpoint(checkpoint);
    const loaded = await store.loadCheckpoint();
    (loaded as SearchCheckpoint).nextGeneration = 5;
    assert.equal((await store.loadCheckpoint())?.nextGeneration, 0);
  });
});
