import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AkdError, Rng } from '@akd/core';
import { choicesFromGenome, genomeFromChoices, decisionsFor } from '@akd/search-space';
import { Adam } from './adam.js';
import { CategoricalPolicy } from './categorical-policy.js';
import { runSearch } from './loop.js';
import { MemorySearchStore } from './memory-store.js';
import { PolicyGradientStrategy, type PolicyGradientOptions } from './policy-gradient.js';
import { isRatioClipped, ppoGradient, reinforceGradient } from './policy-loss.js';
import type { StrategySpec } from './registry.js';
import type { GenerationStats } from './store.js';
import { HiddenTargetEvaluator, SilentLogger, randomTarget, testSpace } from './test-fixtures.js';

function assertClose(actual: number, expected: number, tolerance = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);
}

describe('REINFORCE gradient', () => {
  it('two-choice toy matches hand computation', () => {
    // Logits [0, ln 3] give p = [0.25, 0.75].
    const policy = new CategoricalPolicy([2], [0, Math.log(3)]);
    assertClose(policy.probabilities()[0][0], 0.25);
    const samples = [
      { choices: [1], advantage: 1 },
      { choices: [0], advantage: -0.5 },
    ];

    // Policy term: −(1/N) Σ_i A_i ([k = a_i] − p_k)
    //   k=0: −½ (1·(0 − 0.25) + (−0.5)·(1 − 0.25)) = −½ (−0.25 − 0.375) = 0.3125
    //   k=1: −½ (1·(1 − 0.75) + (−0.5)·(0 − 0.75)) = −½ (0.25 + 0.375) = −0.3125
    const withoutEntropy = reinforceGradient(policy, samples, 0);
    assertClose(withoutEntropy[0], 0.3125);
    assertClose(withoutEntropy[1], -0.3125);

    // Entropy term: c p_k (log p_k + H) with H = −(0.25 ln 0.25 + 0.75 ln 0.75) = 0.5623351
    //   k=0: 0.1 × 0.25 × (−1.3862944 + 0.5623351) = −0.0205990
    //   k=1: 0.1 × 0.75 × (−0.2876821 + 0.5623351) = +0.0205990
    const withEntropy = reinforceGradient(policy, samples, 0.1);
    assertClose(withEntropy[0], 0.3125 - 0.02059898, 1e-8);
    assertClose(withEntropy[1], -0.3125 + 0.02059898, 1e-8);
  });

  it('matches finite differences of the loss', () => {
    const counts = [3, 2, 4];
    const logits = [0.3, -0.2, 0.5, 1.1, -0.4, 0.0, 0.2, -0.7, 0.9];
    const samples = [
      { choices: [0, 1, 3], advantage: 0.7 },
      { choices: [2, 0, 1], advantage: -0.3 },
      { choices: [2, 1, 2], advantage: 0.1 },
    ];
    const coefficient = 0.05;
    const loss = (values: number[]): number => {
      const policy = new CategoricalPolicy(counts, values);
      const logLikelihood = samples.reduce((sum, s) => sum + s.advantage * policy.logProb(s.choices), 0);
      const entropy = policy.entropies().reduce((a, b) => a + b, 0);
      return -logLikelihood / samples.length - coefficient * entropy;
    };

    const analytic = reinforceGradient(new CategoricalPolicy(counts, logits), samples, coefficient);
    const h = 1e-6;
    logits.forEach((_, i) => {
      const plus = [...logits];
      const minus = [...logits];
      plus[i] += h;
      minus[i] -= h;
      assertClose(analytic[i], (loss(plus) - loss(minus)) / (2 * h), 1e-7);
    });
  });

  it('first Adam step moves each logit by the learning rate', () => {
    const parameters = new Float64Array([0, 0, 0]);
    const adam = new Adam(3, { learningRate: 0.1 });
    adam.apply(parameters, new Float64Array([0.3125, -0.3125, 0]));
    // Bias-corrected m̂ = g and v̂ = g², so the step is lr × g / (|g| + ε).
    assertClose(parameters[0], -0.1, 1e-7);
    assertClose(parameters[1], 0.1, 1e-7);
    assert.equal(parameters[2], 0);
  });
});

describe('PPO gradient', () => {
  const counts = [3, 2, 4];
  const oldLogits = [0.3, -0.2, 0.5, 1.1, -0.4, 0.0, 0.2, -0.7, 0.9];
  // A step away from the old logits that moves the ratios of most samples past 1 ± ε.
  const logits = [0.9, -0.5, 0.1, 0.4, 0.3, -0.6, 0.8, -0.2, 0.5];
  const epsilon = 0.2;
  const old = new CategoricalPolicy(counts, oldLogits);
  const samples = [
    { choices: [0, 1, 3], advantage: 0.7 },
    { choices: [2, 0, 1], advantage: -0.3 },
    { choices: [1, 1, 2], advantage: 0.1 },
    { choices: [0, 0, 0], advantage: -0.6 },
    { choices: [2, 1, 3], advantage: 0.4 },
  ].map((s) => ({ ...s, oldLogProb: old.logProb(s.choices) }));

  it('matches finite differences of the clipped loss', () => {
    const coefficient = 0.05;
    const loss = (values: number[]): number => {
      const policy = new CategoricalPolicy(counts, values);
      const surrogate = samples.reduce((sum, s) => {
        const ratio = Math.exp(policy.logProb(s.choices) - s.oldLogProb);
        const clippedRatio = Math.min(Math.max(ratio, 1 - epsilon), 1 + epsilon);
        return sum + Math.min(ratio * s.advantage, clippedRatio * s.advantage);
      }, 0);
      const entropy = policy.entropies().reduce((a, b) => a + b, 0);
      return -surrogate / samples.length - coefficient * entropy;
    };

    // Both branches of the min occur, and no ratio sits at a kink where the loss has no derivative.
    const policy = new CategoricalPolicy(counts, logits);
    const ratios = samples.map((s) => Math.exp(policy.logProb(s.choices) - s.oldLogProb));
    const clipped = ratios.map((r, i) => isRatioClipped(r, samples[i].advantage, epsilon));
    assert.ok(clipped.includes(true), `no sample is clipped, ratios ${ratios.join(', ')}`);
    assert.ok(clipped.includes(false), `every sample is clipped, ratios ${ratios.join(', ')}`);
    for (const ratio of ratios) {
      const distance = Math.min(Math.abs(ratio - (1 + epsilon)), Math.abs(ratio - (1 - epsilon)));
      assert.ok(distance > 1e-3, `ratio ${ratio} is at a kink`);
    }

    const analytic = ppoGradient(policy, samples, epsilon, coefficient);
    const h = 1e-6;
    logits.forEach((_, i) => {
      const plus = [...logits];
      const minus = [...logits];
      plus[i] += h;
      minus[i] -= h;
      assertClose(analytic[i], (loss(plus) - loss(minus)) / (2 * h), 1e-7);
    });
  });

  it('equals REINFORCE at the old policy', () => {
    // At π = π_old every ratio is 1, so no sample is clipped and the gradients coincide.
    const ppo = ppoGradient(old, samples, epsilon, 0.05);
    const reinforce = reinforceGradient(old, samples, 0.05);
    assert.deepEqual(ppo, reinforce);
  });

  it('clip decision follows the sign of the advantage', () => {
    assert.equal(isRatioClipped(1.3, 1, 0.2), true);
    assert.equal(isRatioClipped(1.3, -1, 0.2), false);
    assert.equal(isRatioClipped(0.7, -1, 0.2), true);
    assert.equal(isRatioClipped(0.7, 1, 0.2), false);
    assert.equal(isRatioClipped(1.2, 1, 0.2), false, 'the boundary counts as unclipped');
    assert.equal(isRatioClipped(5, 0, 0.2), false, 'a zero advantage is never clipped');
  });
});

describe('PolicyGradientStrategy', () => {
  const space = testSpace();
  const decisionCount = decisionsFor(space).length;

  it('starts uniform', () => {
    const strategy = new PolicyGradientStrategy(space);
    for (const decision of strategy.probabilities()) {
      for (const p of decision.probabilities) assertClose(p, 1 / decision.probabilities.length);
    }
  });

  it('update raises probability of rewarded choices', () => {
    const strategy = new PolicyGradientStrategy(space, { entropyCoefficient: 0 });
    const good = genomeFromChoices(space, new Array(decisionCount).fill(1));
    const bad = genomeFromChoices(space, new Array(decisionCount).fill(0));
    const metrics = strategy.update([
      { genome: good, reward: 0.9 },
      { genome: bad, reward: 0.5 },
    ]);

    for (const decision of metrics.probabilities) {
      assert.ok(
        decision.probabilities[1] > decision.probabilities[0],
        `${decision.name} of block ${decision.block}`,
      );
    }
    assert.deepEqual(choicesFromGenome(space, strategy.mostLikelyGenome()), new Array(decisionCount).fill(1));
  });

  it('baseline starts at first mean then averages', () => {
    const strategy = new PolicyGradientStrategy(space, { baselineDecay: 0.9 });
    const genome = genomeFromChoices(space, new Array(decisionCount).fill(0));

    const first = strategy.update([
      { genome, reward: 0.4 },
      { genome, reward: 0.6 },
    ]);
    assertClose(first.baseline, 0.5);
    assertClose(first.meanAdvantage, 0);
    assertClose(first.meanReward, 0.5);

    const second = strategy.update([{ genome, reward: 0.8 }]);
    // Advantage uses the previous baseline: 0.8 − 0.5. New baseline: 0.9 × 0.5 + 0.1 × 0.8.
    assertClose(second.meanAdvantage, 0.3);
    assertClose(second.baseline, 0.53);
  });

  it('rejects invalid options', () => {
    const cases: [PolicyGradientOptions, RegExp][] = [
      [{ learningRate: 0 }, /learningRate 0/],
      [{ baselineDecay: 1 }, /baselineDecay 1/],
      [{ entropyCoefficient: -1 }, /entropyCoefficient -1/],
      [
        { estimator: 'a2c' as PolicyGradientOptions['estimator'] },
        /estimator "a2c" is not one of 'reinforce', 'ppo'/,
      ],
      [
        { controller: 'gru' as PolicyGradientOptions['controller'] },
        /controller "gru" is not one of 'factorized', 'lstm'/,
      ],
      [{ estimator: 'ppo', ppoEpochs: 0 }, /ppoEpochs 0 must be a positive integer/],
      [{ estimator: 'ppo', ppoEpochs: 1.5 }, /ppoEpochs 1.5 must be a positive integer/],
      [{ estimator: 'ppo', ppoClipEpsilon: 0 }, /ppoClipEpsilon 0 must be a positive number/],
      [{ estimator: 'ppo', ppoClipEpsilon: -0.1 }, /ppoClipEpsilon -0.1 must be a positive number/],
      [{ controller: 'lstm', lstmHiddenSize: 0 }, /lstmHiddenSize 0 must be a positive integer/],
      [{ ppoEpochs: 2 }, /ppoEpochs applies only to estimator 'ppo'/],
      [{ ppoClipEpsilon: 0.1 }, /ppoClipEpsilon applies only to estimator 'ppo'/],
      [{ lstmHiddenSize: 16 }, /lstmHiddenSize applies only to controller 'lstm'/],
    ];
    for (const [options, message] of cases) {
      assert.throws(
        () => new PolicyGradientStrategy(space, options),
        (error: unknown) =>
          error instanceof AkdError && error.code === 'INVALID_INPUT' && message.test(error.message),
        JSON.stringify(options),
      );
    }
  });

  it('PPO with one epoch equals REINFORCE', () => {
    const reinforce = new PolicyGradientStrategy(space, { seed: 5 });
    const ppo = new PolicyGradientStrategy(space, { estimator: 'ppo', ppoEpochs: 1, seed: 5 });
    const evaluator = new HiddenTargetEvaluator(space, randomTarget(space, 5));
    for (let g = 0; g < 3; g++) {
      const genomes = reinforce.propose(8);
      assert.deepEqual(ppo.propose(8), genomes, `proposals of generation ${g}`);
      const results = genomes.map((genome) => ({ genome, reward: evaluator.accuracyOf(genome) }));
      reinforce.update(results);
      ppo.update(results);
      assert.deepEqual(ppo.state(), reinforce.state(), `state after generation ${g}`);
    }
  });

  it('PPO reports clip fraction and KL', () => {
    const strategy = new PolicyGradientStrategy(space, { estimator: 'ppo', ppoEpochs: 8, seed: 6 });
    const evaluator = new HiddenTargetEvaluator(space, randomTarget(space, 6));
    const score = (genomes: ReturnType<typeof strategy.propose>) =>
      genomes.map((genome) => ({ genome, reward: evaluator.accuracyOf(genome) }));
    strategy.update(score(strategy.propose(12)));
    const metrics = strategy.update(score(strategy.propose(12)));

    assert.ok(metrics.clipFraction !== undefined, 'clipFraction is missing');
    assert.ok(metrics.approxKl !== undefined, 'approxKl is missing');
    assert.ok(metrics.clipFraction <= 1, `clipFraction ${metrics.clipFraction}`);
    // Eight Adam steps of 0.1 per logit move the policy well past the clip range for some samples.
    assert.ok(metrics.clipFraction > 0, `clipFraction ${metrics.clipFraction}`);
    assert.ok(metrics.approxKl > 0, `approxKl ${metrics.approxKl}`);

    const reinforce = new PolicyGradientStrategy(space, { seed: 6 });
    const plain = reinforce.update(score(reinforce.propose(12)));
    assert.equal('clipFraction' in plain, false);
    assert.equal('approxKl' in plain, false);
  });

  it('LSTM update raises probability of rewarded choices', () => {
    const strategy = new PolicyGradientStrategy(space, { controller: 'lstm', entropyCoefficient: 0 });
    const good = genomeFromChoices(space, new Array(decisionCount).fill(1));
    const bad = genomeFromChoices(space, new Array(decisionCount).fill(0));
    const metrics = strategy.update([
      { genome: good, reward: 0.9 },
      { genome: bad, reward: 0.5 },
    ]);

    // Greedy decoding takes choice 1 everywhere, so each distribution is conditional on earlier 1s.
    for (const decision of metrics.probabilities) {
      assert.ok(
        decision.probabilities[1] > decision.probabilities[0],
        `${decision.name} of block ${decision.block}`,
      );
    }
    assert.deepEqual(choicesFromGenome(space, strategy.mostLikelyGenome()), new Array(decisionCount).fill(1));
  });

  it('rejects empty and non-finite results', () => {
    const strategy = new PolicyGradientStrategy(space);
    const genome = strategy.propose(1, new Rng(1))[0];
    assert.throws(() => strategy.update([]), /empty generation/);
    assert.throws(() => strategy.update([{ genome, reward: NaN }]), /Invalid reward NaN/);
  });
});

describe('policy gradient on hidden target', () => {
  const space = testSpace();
  const budget = 240;
  const generationSize = 12;

  async function search(spec: StrategySpec, seed: number): Promise<GenerationStats[]> {
    const evaluator = new HiddenTargetEvaluator(space, randomTarget(space, 100 + seed));
    const stats: GenerationStats[] = [];
    await runSearch({
      space,
      strategy: spec,
      evaluator,
      store: new MemorySearchStore(),
      budget,
      generationSize,
      rewardConfig: { targetMs: 10 },
      seed,
      logger: new SilentLogger(),
      onProgress: (event) => {
        if (event.type === 'generation-completed') stats.push(event.stats);
      },
    });
    return stats;
  }

  const lateMean = (stats: GenerationStats[]): number =>
    stats.slice(-3).reduce((sum, s) => sum + s.meanReward, 0) / 3;
  const best = (stats: GenerationStats[]): number => Math.max(...stats.map((s) => s.maxReward));

  // Random search does not depend on the learned strategy, so each seed runs once.
  const randomRuns = new Map<number, Promise<GenerationStats[]>>();
  const randomSearch = (seed: number): Promise<GenerationStats[]> => {
    if (!randomRuns.has(seed)) randomRuns.set(seed, search({ kind: 'random' }, seed));
    return randomRuns.get(seed) as Promise<GenerationStats[]>;
  };

  async function assertBeatsRandom(spec: StrategySpec, seed: number): Promise<void> {
    const learned = await search(spec, seed);
    const random = await randomSearch(seed);

    // Random search stays near the expected accuracy 0.1 + 0.8 × 0.375 = 0.4 of a uniform genome.
    assert.ok(
      lateMean(learned) > lateMean(random) + 0.1,
      `late mean reward ${lateMean(learned)} vs random ${lateMean(random)}`,
    );
    assert.ok(best(learned) > best(random), `best reward ${best(learned)} vs random ${best(random)}`);

    const first = learned[0].strategy;
    const last = learned[learned.length - 1].strategy;
    assert.equal(first.kind, 'policy-gradient');
    assert.equal(last.kind, 'policy-gradient');
    if (first.kind === 'policy-gradient' && last.kind === 'policy-gradient') {
      assert.ok(
        last.meanEntropy < first.meanEntropy - 0.1,
        `entropy ${first.meanEntropy} -> ${last.meanEntropy}`,
      );
    }
  }

  for (const seed of [1, 2, 3, 4]) {
    it(`beats random search, seed ${seed}`, () => assertBeatsRandom({ kind: 'policy-gradient' }, seed));
  }

  for (const seed of [1, 2, 3]) {
    it(`PPO beats random search, seed ${seed}`, () =>
      assertBeatsRandom({ kind: 'policy-gradient', options: { estimator: 'ppo' } }, seed));
  }

  for (const seed of [1, 2, 3]) {
    it(`LSTM beats random search, seed ${seed}`, () =>
      assertBeatsRandom({ kind: 'policy-gradient', options: { controller: 'lstm' } }, seed));
  }
});
