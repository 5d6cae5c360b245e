import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '@akd/core';
import { choicesFromGenome, genomeFromChoices, decisionsFor } from '@akd/search-space';
import { Adam } from './adam.js';
import { CategoricalPolicy } from './categorical-policy.js';
import { runSearch } from './loop.js';
import { MemorySearchStore } from './memory-store.js';
import { PolicyGradientStrategy, reinforceGradient } from './policy-gradient.js';
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
    assert.throws(() => new PolicyGradientStrategy(space, { learningRate: 0 }), /learningRate 0/);
    assert.throws(() => new PolicyGradientStrategy(space, { baselineDecay: 1 }), /baselineDecay 1/);
    assert.throws(
      () => new PolicyGradientStrategy(space, { entropyCoefficient: -1 }),
      /entropyCoefficient -1/,
    );
    assert.throws(
      () => new PolicyGradientStrategy(space, { estimator: 'ppo' as 'reinforce' }),
      /estimator ppo is not supported/,
    );
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

  for (const seed of [1, 2, 3, 4]) {
    it(`beats random search, seed ${seed}`, async () => {
      const learned = await search({ kind: 'policy-gradient' }, seed);
      const random = await search({ kind: 'random' }, seed);

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
    });
  }
});
