import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AkdError } from '@akd/core';
import { countFlops, expandGenome, type Genome } from '@akd/search-space';
import { fitFlopsLatency } from './flops-fit.js';
import { enumerateLayerKeys, planKeySpecs } from './keys.js';
import { createLatencyModel } from './latency-model.js';
import { missingProfileKeys, predictLatencyMs } from './predict.js';
import { validateProfileFor } from './profile.js';
import { gene, handProfile, stats, twoBlockSpace } from './test-fixtures.js';

const space = twoBlockSpace();
const genome: Genome = {
  blocks: [
    gene({ op: 'mbconv3', seRatio: 0.25, skip: 'identity' }),
    gene({ op: 'dconv', layerDelta: 1, skip: 'pool' }),
  ],
};
const keys = planKeySpecs(expandGenome(space, genome)).map((spec) => spec.key);

/** Entries 1, 2, 3, … ms for the genome's parts in plan order, plus one part the genome lacks. */
function genomeEntries(): Record<string, ReturnType<typeof stats>> {
  const entries = Object.fromEntries(keys.map((key, index) => [key, stats(index + 1)]));
  entries['head in=4x4x12 out=8'] = stats(100);
  return entries;
}

function assertInvalidInput(action: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof AkdError);
    assert.equal(error.code, 'INVALID_INPUT');
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  });
}

describe('predictLatencyMs', () => {
  it('sums the entries minus the call overhead', () => {
    // stem, block 0 layer, two block 1 layers, head, classifier
    assert.equal(keys.length, 6);
    const profile = handProfile(space, genomeEntries(), 0.5, 2);
    const expected = 2 + [1, 2, 3, 4, 5, 6].reduce((sum, ms) => sum + (ms - 0.5), 0);
    assert.equal(predictLatencyMs(profile, space, genome), expected);
  });

  it('counts a repeated key once per occurrence', () => {
    // Block 0 keeps width 4 and stride 1, so its two layers share one key.
    const repeated: Genome = { blocks: [{ ...genome.blocks[0], layerDelta: 1 }, genome.blocks[1]] };
    const repeatedKeys = planKeySpecs(expandGenome(space, repeated)).map((spec) => spec.key);
    assert.equal(repeatedKeys[1], keys[1]);
    assert.equal(repeatedKeys[2], keys[1]);
    const profile = handProfile(space, genomeEntries(), 0.5);
    const difference = predictLatencyMs(profile, space, repeated) - predictLatencyMs(profile, space, genome);
    assert.equal(difference, 2 - 0.5);
  });

  it('names a missing key', () => {
    const entries = genomeEntries();
    delete entries[keys[2]];
    const profile = handProfile(space, entries, 0.5);
    assertInvalidInput(
      () => predictLatencyMs(profile, space, genome),
      new RegExp(`no entry for "${keys[2]}"`),
      /edited or truncated/,
    );
  });

  it('blames a time limit for a missing key', () => {
    const entries = genomeEntries();
    delete entries[keys[0]];
    const profile = { ...handProfile(space, entries, 0.5), complete: false, skippedKeys: 7 };
    assertInvalidInput(() => predictLatencyMs(profile, space, genome), /time limit/, /7 parts unmeasured/);
  });

  it('blames another search space for a missing key', () => {
    const other = { ...space, numClasses: 5 };
    const profile = handProfile(space, genomeEntries(), 0.5);
    assertInvalidInput(
      () => predictLatencyMs(profile, other, genome),
      /no entry for "classifier in=8 out=5"/,
      /another search space/,
    );
  });

  it('rejects another input shape', () => {
    const profile = handProfile(space, genomeEntries(), 0.5);
    const larger = { ...space, inputShape: [16, 16, 1] as [number, number, number] };
    assertInvalidInput(() => predictLatencyMs(profile, larger, genome), /8×8×1/, /16×16×1/);
  });
});

describe('missingProfileKeys', () => {
  const allKeys = enumerateLayerKeys(space).map((spec) => spec.key);

  it('is empty for a complete table', () => {
    const entries = Object.fromEntries(allKeys.map((key) => [key, stats(1)]));
    assert.deepEqual(missingProfileKeys(handProfile(space, entries, 0.5), space), []);
  });

  it('lists the keys without an entry', () => {
    const entries = Object.fromEntries(allKeys.map((key) => [key, stats(1)]));
    delete entries[allKeys[3]];
    delete entries[allKeys[10]];
    assert.deepEqual(missingProfileKeys(handProfile(space, entries, 0.5), space), [allKeys[3], allKeys[10]]);
  });

  it('lists the parts another space adds', () => {
    const entries = Object.fromEntries(allKeys.map((key) => [key, stats(1)]));
    const wider = { ...space, stemFilters: 6 };
    const missing = missingProfileKeys(handProfile(space, entries, 0.5), wider);
    assert.ok(missing.includes('stem k=3 s=1 in=8x8x1 out=6'), missing.join('; '));
    assert.ok(!missing.includes('classifier in=8 out=3'), 'the unchanged classifier has an entry');
  });
});

describe('validateProfileFor', () => {
  const profile = handProfile(space, genomeEntries(), 0.5);

  it('accepts the same input shape and backend', () => {
    validateProfileFor(profile, { inputShape: [8, 8, 1], backend: 'wasm' });
  });

  it('rejects another input shape', () => {
    assertInvalidInput(
      () => validateProfileFor(profile, { inputShape: [28, 28, 1], backend: 'wasm' }),
      /measured at input 8×8×1/,
      /uses input 28×28×1/,
    );
  });

  it('rejects another channel count', () => {
    assertInvalidInput(
      () => validateProfileFor(profile, { inputShape: [8, 8, 3], backend: 'wasm' }),
      /8×8×3/,
    );
  });

  it('rejects another backend', () => {
    assertInvalidInput(
      () => validateProfileFor(profile, { inputShape: [8, 8, 1], backend: 'cpu' }),
      /measured on the wasm backend/,
      /runs on the cpu backend/,
    );
  });
});

describe('createLatencyModel', () => {
  it('predicts from the table', () => {
    const profile = handProfile(space, genomeEntries(), 0.5);
    const model = createLatencyModel('table', profile);
    assert.equal(model.kind, 'table');
    assert.equal(model.latencyMs(space, genome), predictLatencyMs(profile, space, genome));
  });

  it('predicts from the FLOPs fit', () => {
    const flopsFit = fitFlopsLatency([
      { flops: 0, latencyMs: 1 },
      { flops: 1e6, latencyMs: 3 },
    ]);
    const profile = { ...handProfile(space, {}, 0.5), flopsFit };
    const model = createLatencyModel('flops', profile);
    assert.ok(Math.abs(model.latencyMs(space, genome) - (1 + 2e-6 * countFlops(space, genome))) < 1e-9);
  });

  it('requires a profile for table and flops', () => {
    assertInvalidInput(() => createLatencyModel('table'), /table latency model needs a latency profile/);
    assertInvalidInput(() => createLatencyModel('flops'), /flops latency model needs a latency profile/);
  });

  it('requires a FLOPs fit for flops', () => {
    assertInvalidInput(() => createLatencyModel('flops', handProfile(space, {}, 0.5)), /has none/);
  });

  it('rejects an unknown kind', () => {
    assertInvalidInput(() => createLatencyModel('guess' as 'table'), /Unknown latency model "guess"/);
  });
});
