import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AkdError, Rng } from '@akd/core';
import {
  choicesFromGenome,
  decisionsFor,
  genomeFromChoices,
  genomeHash,
  type Genome,
} from '@akd/search-space';
import { EvolutionStrategy } from './evolution.js';
import type { JsonValue } from './json.js';
import type { PolicyGradientOptions } from './policy-gradient.js';
import { createStrategy, restoreStrategy, type StrategySpec } from './registry.js';
import { RandomSearchStrategy } from './random-search.js';
import type { ScoredGenome, SearchStrategy } from './strategy.js';
import { HiddenTargetEvaluator, randomTarget, testSpace } from './test-fixtures.js';

const space = testSpace();
const evaluator = new HiddenTargetEvaluator(space, randomTarget(space, 7));

function score(genomes: Genome[]): { genome: Genome; reward: number }[] {
  return genomes.map((genome) => ({ genome, reward: evaluator.accuracyOf(genome) }));
}

/** Runs `generations` propose/update rounds with the strategy's own RNG. */
function train(strategy: SearchStrategy, generations: number, size: number): void {
  for (let g = 0; g < generations; g++) strategy.update(score(strategy.propose(size)));
}

function roundTrip(state: JsonValue): JsonValue {
  return JSON.parse(JSON.stringify(state)) as JsonValue;
}

const specs: StrategySpec[] = [
  { kind: 'policy-gradient', options: { learningRate: 0.2, entropyCoefficient: 0.01, seed: 3 } },
  { kind: 'policy-gradient', options: { normalizeAdvantages: true, seed: 4 } },
  { kind: 'policy-gradient', options: { estimator: 'ppo', ppoEpochs: 3, ppoClipEpsilon: 0.1, seed: 7 } },
  { kind: 'policy-gradient', options: { controller: 'lstm', lstmHiddenSize: 16, seed: 8 } },
  {
    kind: 'policy-gradient',
    options: { controller: 'lstm', lstmHiddenSize: 8, estimator: 'ppo', normalizeAdvantages: true, seed: 9 },
  },
  { kind: 'random', options: { seed: 5 } },
  { kind: 'evolution', options: { populationSize: 8, tournamentSize: 3, seed: 6 } },
];

describe('strategy state round trip', () => {
  for (const spec of specs) {
    it(`${spec.kind} ${JSON.stringify(spec.options)} continues identically`, () => {
      const original = createStrategy(space, spec);
      // Four generations of six fill the evolution population and start tournaments.
      train(original, 4, 6);
      const saved = roundTrip(original.state());
      const restored = restoreStrategy(spec.kind, space, spec.options, saved);
      assert.deepEqual(restored.state(), original.state());

      for (let g = 0; g < 3; g++) {
        const fromOriginal = original.propose(6);
        const fromRestored = restored.propose(6);
        assert.deepEqual(fromRestored, fromOriginal, `internal RNG proposals of generation ${g}`);

        const external = original.propose(6, new Rng(100 + g));
        assert.deepEqual(
          restored.propose(6, new Rng(100 + g)),
          external,
          `external RNG proposals of generation ${g}`,
        );

        const results = score(fromOriginal);
        assert.deepEqual(restored.update(results), original.update(results), `metrics of generation ${g}`);
        assert.deepEqual(restored.state(), original.state(), `state after generation ${g}`);
      }
    });

    it(`${spec.kind} propose with external RNG keeps state`, () => {
      const strategy = createStrategy(space, spec);
      train(strategy, 2, 6);
      const before = strategy.state();
      strategy.propose(10, new Rng(1));
      assert.deepEqual(strategy.state(), before);
    });
  }

  it('rejects states of the wrong shape', () => {
    const policy = createStrategy(space, { kind: 'policy-gradient' });
    const state = policy.state();
    const cases: [string, JsonValue, RegExp][] = [
      ['not an object', [1, 2], /expected a JSON object/],
      ['wrong version', { ...state, version: 2 }, /unsupported version 2/],
      ['short logits', { ...state, logits: [0, 0] }, /logits has 2 values/],
      ['bad rng', { ...state, rng: [1, 2, 3] }, /four unsigned 32-bit integers/],
      ['all-zero rng', { ...state, rng: [0, 0, 0, 0] }, /field rng must contain .*not all zero/],
      ['negative rng word', { ...state, rng: [1, -2, 3, 4] }, /four unsigned 32-bit integers/],
      ['non-numeric baseline', { ...state, baseline: 'none' }, /baseline must be a finite number/],
    ];
    for (const [name, bad, message] of cases) {
      assert.throws(
        () => restoreStrategy('policy-gradient', space, {}, bad),
        (error: unknown) => error instanceof AkdError && message.test(error.message),
        name,
      );
    }
  });

  it('rejects states of another controller', () => {
    const lstmOptions = { controller: 'lstm', lstmHiddenSize: 4 } as const;
    const lstmState = createStrategy(space, { kind: 'policy-gradient', options: lstmOptions }).state();
    const factorizedState = createStrategy(space, { kind: 'policy-gradient' }).state();
    const cases: [string, PolicyGradientOptions, JsonValue, RegExp][] = [
      [
        'LSTM state, factorized options',
        {},
        lstmState,
        /contains LSTM weights, so restore it with controller 'lstm', not 'factorized'/,
      ],
      [
        'factorized state, LSTM options',
        lstmOptions,
        factorizedState,
        /contains factorized logits, so restore it with controller 'factorized', not 'lstm'/,
      ],
      [
        'other hidden size',
        { controller: 'lstm', lstmHiddenSize: 5 },
        lstmState,
        /field weights has \d+ values but an LSTM with hidden size 5 over this search space has \d+/,
      ],
    ];
    for (const [name, options, state, message] of cases) {
      assert.throws(
        () => restoreStrategy('policy-gradient', space, options, state),
        (error: unknown) => error instanceof AkdError && message.test(error.message),
        name,
      );
    }
  });

  it('rejects an unknown kind', () => {
    assert.throws(
      () => restoreStrategy('annealing' as 'random', space, {}, { version: 1 }),
      /Unknown search strategy "annealing"/,
    );
  });
});

describe('EvolutionStrategy', () => {
  const decisionCount = decisionsFor(space).length;
  const genomeWith = (value: number): Genome =>
    genomeFromChoices(space, new Array(decisionCount).fill(value));

  it('proposes random genomes until the population is full', () => {
    const strategy = new EvolutionStrategy(space, { populationSize: 4, tournamentSize: 2 });
    strategy.update(score(strategy.propose(3, new Rng(1))));
    assert.equal(strategy.update(score(strategy.propose(3, new Rng(2)))).populationSize, 4);
    const state = strategy.state() as { population: unknown[] };
    assert.equal(state.population.length, 4);
  });

  it('children differ from a parent by one mutation', () => {
    const strategy = new EvolutionStrategy(space, { populationSize: 3, tournamentSize: 3 });
    strategy.update([
      { genome: genomeWith(0), reward: 0.2 },
      { genome: genomeWith(1), reward: 0.9 },
      {
        genome: genomeFromChoices(
          space,
          new Array(decisionCount).fill(0).map((_, i) => i % 2),
        ),
        reward: 0.5,
      },
    ]);
    // With S = P every tournament draws the whole population, so the parent is the best member.
    const parent = choicesFromGenome(space, genomeWith(1));
    for (const child of strategy.propose(20, new Rng(9))) {
      const changed = choicesFromGenome(space, child).filter((c, i) => c !== parent[i]).length;
      assert.equal(changed, 1);
      assert.notEqual(genomeHash(space, child), genomeHash(space, genomeWith(1)));
    }
  });

  it('tournament size decides which members breed', () => {
    // Three members far apart in choice space, so each one-mutation child has exactly one parent.
    const members: ScoredGenome[] = [
      { genome: genomeWith(0), reward: 0.2 },
      { genome: genomeWith(1), reward: 0.9 },
      {
        genome: genomeFromChoices(
          space,
          new Array(decisionCount).fill(0).map((_, i) => i % 2),
        ),
        reward: 0.5,
      },
    ];
    const memberChoices = members.map((member) => choicesFromGenome(space, member.genome));
    const parentCounts = (tournamentSize: number): number[] => {
      const strategy = new EvolutionStrategy(space, { populationSize: 3, tournamentSize });
      strategy.update(members);
      const counts = [0, 0, 0];
      for (const child of strategy.propose(60, new Rng(4))) {
        const choices = choicesFromGenome(space, child);
        const parents = memberChoices
          .map((parent, index) => ({ index, distance: parent.filter((c, i) => c !== choices[i]).length }))
          .filter((entry) => entry.distance === 1);
        assert.equal(parents.length, 1, 'each child is one mutation away from exactly one member');
        counts[parents[0].index] += 1;
      }
      return counts;
    };

    // S = 1 draws one member per tournament, so every member breeds.
    const uniform = parentCounts(1);
    for (const [index, count] of uniform.entries()) {
      assert.ok(count > 0, `member ${index} bred ${count} of 60 children with S = 1`);
    }
    // S = 2 never lets the worst member win, because its opponent is always better.
    const [worst, best, middle] = parentCounts(2);
    assert.equal(worst, 0, 'the worst member never wins a tournament of 2');
    assert.ok(best > middle, `best bred ${best}, middle ${middle}`);
    assert.ok(middle > 0, 'the middle member wins when drawn with the worst');
  });

  it('removes the oldest members regardless of reward', () => {
    const strategy = new EvolutionStrategy(space, { populationSize: 2, tournamentSize: 1 });
    strategy.update([{ genome: genomeWith(1), reward: 0.99 }]);
    strategy.update([{ genome: genomeWith(0), reward: 0.1 }]);
    const metrics = strategy.update([{ genome: genomeWith(0), reward: 0.2 }]);
    assert.equal(metrics.populationSize, 2);
    assert.equal(metrics.populationMaxReward, 0.2);
    const state = strategy.state() as { population: { reward: number }[] };
    assert.deepEqual(
      state.population.map((m) => m.reward),
      [0.1, 0.2],
    );
  });

  it('rejects invalid options and oversized populations', () => {
    assert.throws(() => new EvolutionStrategy(space, { populationSize: 0 }), /populationSize 0/);
    assert.throws(
      () => new EvolutionStrategy(space, { populationSize: 4, tournamentSize: 5 }),
      /tournamentSize 5 must be an integer in \[1, populationSize=4\]/,
    );
    const big = new EvolutionStrategy(space, { populationSize: 3, tournamentSize: 1 });
    big.update(score(big.propose(3, new Rng(1))));
    assert.throws(
      () => new EvolutionStrategy(space, { populationSize: 2, tournamentSize: 1 }, big.state()),
      /population has 3 members, more than populationSize=2/,
    );
  });
});

describe('RandomSearchStrategy', () => {
  const decisions = decisionsFor(space);

  it('draws each choice uniformly', () => {
    const strategy = new RandomSearchStrategy(space, { seed: 12 });
    const samples = 3000;
    const counts = decisions.map((decision) => new Array<number>(decision.choices.length).fill(0));
    for (const genome of strategy.propose(samples)) {
      choicesFromGenome(space, genome).forEach((choice, d) => (counts[d][choice] += 1));
    }
    counts.forEach((perChoice, d) => {
      const expected = samples / perChoice.length;
      for (const [choice, count] of perChoice.entries()) {
        // Five binomial standard deviations of the count around n/k.
        const tolerance = 5 * Math.sqrt(expected * (1 - 1 / perChoice.length));
        assert.ok(
          Math.abs(count - expected) <= tolerance,
          `block ${decisions[d].block} ${decisions[d].name} choice ${choice}: ${count} of ${samples}, expected ${expected}`,
        );
      }
    });
  });

  it('ignores rewards', () => {
    const updated = new RandomSearchStrategy(space, { seed: 3 });
    const untouched = new RandomSearchStrategy(space, { seed: 3 });
    const first = updated.propose(6);
    assert.deepEqual(untouched.propose(6), first);
    updated.update(first.map((genome, i) => ({ genome, reward: i === 0 ? 1 : 0 })));
    assert.deepEqual(updated.propose(6), untouched.propose(6));
    assert.deepEqual(updated.state(), untouched.state());
  });

  it('reports the mean and maximum reward', () => {
    const strategy = new RandomSearchStrategy(space);
    const genomes = strategy.propose(3);
    const metrics = strategy.update(genomes.map((genome, i) => ({ genome, reward: [0.2, 0.5, 0.8][i] })));
    assert.equal(metrics.kind, 'random');
    assert.ok(Math.abs(metrics.meanReward - 0.5) < 1e-12, `mean ${metrics.meanReward}`);
    assert.equal(metrics.maxReward, 0.8);
  });

  it('rejects bad count, reward, seed', () => {
    const strategy = new RandomSearchStrategy(space);
    assert.throws(() => strategy.propose(0), /Invalid proposal count 0/);
    assert.throws(
      () => strategy.update([{ genome: strategy.propose(1)[0], reward: Number.NaN }]),
      /Invalid reward NaN for result 0/,
    );
    assert.throws(
      () => new RandomSearchStrategy(space, { seed: Number.NaN }),
      /seed NaN must be a finite number/,
    );
  });
});
