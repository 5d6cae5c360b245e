import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AkdError, Rng } from '@akd/core';
import { decisionsFor } from '@akd/search-space';
import { LstmPolicy } from './lstm-policy.js';
import { isRatioClipped, ppoGradient, reinforceGradient } from './policy-loss.js';
import { testSpace } from './test-fixtures.js';

// Tiny controller of the gradient checks: hidden size 3 and two decisions.
const counts = [3, 2];
const hiddenSize = 3;

/** Returns weights drawn uniformly from [−scale, scale], larger than the initial ones so that every term matters. */
function randomWeights(seed: number, scale = 0.8): number[] {
  const rng = new Rng(seed);
  const size = LstmPolicy.parameterCount(counts, hiddenSize);
  return Array.from({ length: size }, () => (2 * rng.next() - 1) * scale);
}

/** Returns the central-difference derivative of `loss` with respect to each weight. */
function numericGradient(loss: (weights: number[]) => number, weights: readonly number[]): number[] {
  const h = 1e-6;
  return weights.map((_, i) => {
    const plus = [...weights];
    const minus = [...weights];
    plus[i] += h;
    minus[i] -= h;
    return (loss(plus) - loss(minus)) / (2 * h);
  });
}

function assertGradientsClose(analytic: Float64Array, numeric: readonly number[]): void {
  assert.equal(analytic.length, numeric.length);
  numeric.forEach((expected, i) => {
    const tolerance = 1e-7 + 1e-6 * Math.abs(expected);
    assert.ok(
      Math.abs(analytic[i] - expected) <= tolerance,
      `weight ${i}: backpropagation gives ${analytic[i]}, finite differences ${expected}`,
    );
  });
}

const entropySum = (entropies: readonly number[]): number => entropies.reduce((a, b) => a + b, 0);

describe('LstmPolicy', () => {
  // Together the samples choose every embedding row of the first decision.
  const samples = [
    { choices: [0, 1], advantage: 0.7 },
    { choices: [2, 0], advantage: -0.4 },
    { choices: [1, 1], advantage: 0.2 },
  ];

  it('backward matches finite differences', () => {
    const weights = randomWeights(1);
    const logProbScales = [0.9, -0.6, 0.3];
    const entropyScale = 0.25;
    const loss = (values: number[]): number => {
      const policy = new LstmPolicy(counts, hiddenSize, values);
      return samples.reduce((sum, sample, i) => {
        const pass = policy.forward(sample.choices);
        return sum + logProbScales[i] * pass.logProb + entropyScale * entropySum(pass.entropies);
      }, 0);
    };

    const policy = new LstmPolicy(counts, hiddenSize, weights);
    const analytic = new Float64Array(weights.length);
    samples.forEach((sample, i) => {
      policy.forward(sample.choices).backward(logProbScales[i], entropyScale, analytic);
    });
    assert.ok(
      analytic.every((g) => g !== 0),
      'every weight, including each embedding row, gets a gradient',
    );
    assertGradientsClose(analytic, numericGradient(loss, weights));
  });

  it('REINFORCE gradient matches finite differences', () => {
    const weights = randomWeights(2);
    const coefficient = 0.05;
    const loss = (values: number[]): number => {
      const policy = new LstmPolicy(counts, hiddenSize, values);
      const terms = samples.map((sample) => {
        const pass = policy.forward(sample.choices);
        return sample.advantage * pass.logProb + coefficient * entropySum(pass.entropies);
      });
      return -terms.reduce((a, b) => a + b, 0) / samples.length;
    };

    const analytic = reinforceGradient(new LstmPolicy(counts, hiddenSize, weights), samples, coefficient);
    assertGradientsClose(analytic, numericGradient(loss, weights));
  });

  it('PPO gradient matches finite differences', () => {
    const oldWeights = randomWeights(3);
    const shift = randomWeights(4, 0.3);
    const weights = oldWeights.map((w, i) => w + shift[i]);
    const old = new LstmPolicy(counts, hiddenSize, oldWeights);
    const epsilon = 0.2;
    const coefficient = 0.05;
    // Every architecture of the tiny space, with advantages of both signs.
    const advantages = [0.7, -0.4, 0.2, -0.5, 0.3, -0.1];
    const ppoSamples = advantages.map((advantage, i) => {
      const choices = [Math.floor(i / 2), i % 2];
      return { choices, advantage, oldLogProb: old.forward(choices).logProb };
    });
    const loss = (values: number[]): number => {
      const policy = new LstmPolicy(counts, hiddenSize, values);
      const terms = ppoSamples.map((sample) => {
        const pass = policy.forward(sample.choices);
        const ratio = Math.exp(pass.logProb - sample.oldLogProb);
        const clippedRatio = Math.min(Math.max(ratio, 1 - epsilon), 1 + epsilon);
        const surrogate = Math.min(ratio * sample.advantage, clippedRatio * sample.advantage);
        return surrogate + coefficient * entropySum(pass.entropies);
      });
      return -terms.reduce((a, b) => a + b, 0) / ppoSamples.length;
    };

    // The shifted weights clip some samples but not all, so the check covers both branches of
    // the min. Finite differences need every ratio away from the kinks at 1 ± ε.
    const current = new LstmPolicy(counts, hiddenSize, weights);
    const ratios = ppoSamples.map((s) => Math.exp(current.forward(s.choices).logProb - s.oldLogProb));
    for (const ratio of ratios) {
      const distance = Math.min(Math.abs(ratio - (1 + epsilon)), Math.abs(ratio - (1 - epsilon)));
      assert.ok(distance > 1e-3, `ratio ${ratio} is at a kink`);
    }
    const clipped = ratios.map((r, i) => isRatioClipped(r, advantages[i], epsilon));
    assert.ok(clipped.includes(true), `no sample is clipped, ratios ${ratios.join(', ')}`);
    assert.ok(clipped.includes(false), `every sample is clipped, ratios ${ratios.join(', ')}`);

    const analytic = ppoGradient(current, ppoSamples, epsilon, coefficient);
    assertGradientsClose(analytic, numericGradient(loss, weights));
  });

  it('joint probabilities sum to one', () => {
    const policy = new LstmPolicy(counts, hiddenSize, randomWeights(5));
    let total = 0;
    for (let a = 0; a < counts[0]; a++) {
      for (let b = 0; b < counts[1]; b++) total += Math.exp(policy.forward([a, b]).logProb);
    }
    assert.ok(Math.abs(total - 1) < 1e-12, `total probability ${total}`);
  });

  it('samples match forward probabilities', () => {
    const policy = new LstmPolicy(counts, hiddenSize, randomWeights(6, 2));
    const rng = new Rng(7);
    const draws = 4000;
    const frequencies = new Map<string, number>();
    for (let i = 0; i < draws; i++) {
      const key = policy.sample(rng).join(',');
      frequencies.set(key, (frequencies.get(key) ?? 0) + 1);
    }
    for (let a = 0; a < counts[0]; a++) {
      for (let b = 0; b < counts[1]; b++) {
        const expected = Math.exp(policy.forward([a, b]).logProb);
        const observed = (frequencies.get(`${a},${b}`) ?? 0) / draws;
        // Four standard deviations of a binomial frequency, at most 0.032 for 4000 draws.
        const tolerance = 4 * Math.sqrt((expected * (1 - expected)) / draws);
        assert.ok(
          Math.abs(observed - expected) <= tolerance,
          `choices ${a},${b}: ${observed} vs ${expected}`,
        );
      }
    }
  });

  it('greedy takes each most probable choice', () => {
    const policy = new LstmPolicy(counts, hiddenSize, randomWeights(8, 2));
    const { choices, probabilities } = policy.greedy();
    probabilities.forEach((p, d) => assert.equal(choices[d], p.indexOf(Math.max(...p)), `decision ${d}`));
    // The second distribution is conditional on the first greedy choice.
    const pass = policy.forward(choices);
    const expected = Math.log(probabilities[0][choices[0]]) + Math.log(probabilities[1][choices[1]]);
    assert.ok(Math.abs(pass.logProb - expected) < 1e-12);
  });

  it('initialization is seeded and near uniform', () => {
    const spaceCounts = decisionsFor(testSpace()).map((d) => d.choices.length);
    const first = LstmPolicy.initialize(spaceCounts, 32, new Rng(11));
    const again = LstmPolicy.initialize(spaceCounts, 32, new Rng(11));
    const other = LstmPolicy.initialize(spaceCounts, 32, new Rng(12));
    assert.deepEqual(again.parameters, first.parameters);
    assert.notDeepEqual(other.parameters, first.parameters);

    const { probabilities } = first.greedy();
    for (const [d, p] of probabilities.entries()) {
      for (const value of p) {
        assert.ok(Math.abs(value - 1 / p.length) < 0.02, `decision ${d}: ${p.join(', ')}`);
      }
    }
  });

  it('rejects invalid sizes and choices', () => {
    const isInvalidInput = (pattern: RegExp) => (error: unknown) =>
      error instanceof AkdError && error.code === 'INVALID_INPUT' && pattern.test(error.message);
    assert.throws(() => new LstmPolicy(counts, 0, []), isInvalidInput(/hidden size 0/));
    assert.throws(() => new LstmPolicy(counts, 2.5, []), isInvalidInput(/hidden size 2.5/));
    assert.throws(() => new LstmPolicy(counts, hiddenSize, [1, 2]), isInvalidInput(/got 2/));
    const policy = new LstmPolicy(counts, hiddenSize, randomWeights(9));
    assert.throws(() => policy.forward([0]), isInvalidInput(/expected 2 choice indices/));
    assert.throws(() => policy.forward([0, 2]), isInvalidInput(/Invalid choice 2 for decision 1/));
  });
});
