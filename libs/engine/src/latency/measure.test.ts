import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { AkdError, Rng } from '@akd/core';
import { sampleGenome, spaceFingerprint } from '@akd/search-space';
import { initBackend } from '../backend/init.js';
import { enumerateLayerKeys } from './keys.js';
import { createLatencyModel } from './latency-model.js';
import { measureLatencyProfile, type ProfileProgress } from './measure.js';
import { predictLatencyMs } from './predict.js';
import {
  latencyProfileFromRecord,
  parseLatencyProfile,
  toLatencyProfileRecord,
  type LatencyProfile,
} from './profile.js';
import { twoBlockSpace } from './test-fixtures.js';

// Every test here measures the 180 parts of the two-block space on the cpu backend with 2 timed
// runs each, which takes about 2 s.
const space = twoBlockSpace();
const fast = { warmupRuns: 1, runs: 2 };
let profile: LatencyProfile;
const progress: ProfileProgress[] = [];
let tensorsLeaked: number;

before(async () => {
  await initBackend({ backend: 'cpu' });
  const tensorsBefore = tf.memory().numTensors;
  profile = await measureLatencyProfile(space, {
    ...fast,
    networks: 4,
    onProgress: (event) => progress.push(event),
  });
  tensorsLeaked = tf.memory().numTensors - tensorsBefore;
});

describe('measureLatencyProfile', () => {
  it('times every enumerated part', () => {
    const keys = enumerateLayerKeys(space).map((spec) => spec.key);
    assert.deepEqual(Object.keys(profile.entries).sort(), [...keys].sort());
    for (const [key, entry] of Object.entries(profile.entries)) {
      assert.equal(entry.runs, 2, key);
      assert.ok(entry.minMs > 0, key);
      assert.ok(entry.minMs <= entry.medianMs, key);
      assert.ok(entry.medianMs <= entry.maxMs, key);
    }
    assert.ok(profile.callOverheadMs > 0);
  });

  it('records how and where it measured', () => {
    assert.equal(profile.backend.name, 'cpu');
    assert.deepEqual(profile.inputShape, [8, 8, 1]);
    assert.equal(profile.spaceFingerprint, spaceFingerprint(space));
    assert.equal(profile.tfjsVersion, tf.version_core);
    assert.deepEqual(profile.settings, { warmupRuns: 1, runs: 2, clock: 'wall', seed: 1 });
    assert.ok(profile.device.cpuCount > 0);
    assert.ok(!Number.isNaN(Date.parse(profile.measuredAt)));
    assert.equal(profile.complete, true);
    assert.equal(profile.skippedKeys, 0);
  });

  it('times the sampled networks end to end', () => {
    assert.equal(profile.networks.length, 4);
    for (const network of profile.networks) {
      assert.ok(network.latencyMs > 0);
      // With two timed runs per part the sum is too noisy to bound, so only its presence is checked.
      assert.ok(Number.isFinite(network.partSumMs));
    }
    assert.ok(profile.flopsFit !== null);
    assert.ok(profile.flopsFit.r2 <= 1);
  });

  it('sets the network overhead to the median residual', () => {
    const residuals = profile.networks
      .map((network) => network.latencyMs - (network.partSumMs ?? Number.NaN))
      .sort((a, b) => a - b);
    assert.equal(profile.networkOverheadMs, (residuals[1] + residuals[2]) / 2);
  });

  it('reports progress for each part and network', () => {
    const parts = progress.filter((event) => event.phase === 'parts');
    const networks = progress.filter((event) => event.phase === 'networks');
    assert.equal(parts.length, 180);
    assert.deepEqual(
      parts.map((event) => event.done),
      Array.from({ length: 180 }, (_, index) => index + 1),
    );
    assert.ok(parts.every((event) => event.total === 180 && event.key !== undefined));
    assert.deepEqual(
      networks.map((event) => event.done),
      [1, 2, 3, 4],
    );
  });

  it('leaks no tensors', () => {
    assert.equal(tensorsLeaked, 0);
  });

  it('predicts every sampled genome', () => {
    const rng = new Rng(5);
    for (let i = 0; i < 50; i++) {
      // Two timed runs per part are too few for the values to be accurate; this checks that
      // every part a genome uses has an entry.
      const latency = predictLatencyMs(profile, space, sampleGenome(space, rng));
      assert.ok(Number.isFinite(latency), `genome ${i}: ${latency} ms`);
    }
  });

  it('stops at the time limit', async () => {
    const partial = await measureLatencyProfile(space, { ...fast, networks: 2, timeLimitMs: 1 });
    assert.equal(partial.complete, false);
    assert.ok(partial.skippedKeys > 0);
    assert.equal(Object.keys(partial.entries).length + partial.skippedKeys, 180);
    assert.equal(partial.networkOverheadMs, partial.callOverheadMs);
  });

  it('rejects invalid options', async () => {
    for (const [options, pattern] of [
      [{ runs: 0 }, /runs is 0, but it must be an integer of at least 1/],
      [{ warmupRuns: 1.5 }, /warmupRuns is 1.5/],
      [{ networks: -1 }, /networks is -1/],
      [{ clock: 'sundial' as 'wall' }, /clock is "sundial"/],
      [{ timeLimitMs: 0 }, /timeLimitMs is 0/],
    ] as const) {
      await assert.rejects(measureLatencyProfile(space, options), (error: unknown) => {
        assert.ok(error instanceof AkdError);
        assert.equal(error.code, 'INVALID_INPUT');
        assert.match(error.message, pattern);
        return true;
      });
    }
  });
});

describe('latency profile JSON', () => {
  it('round-trips through JSON', () => {
    assert.deepEqual(parseLatencyProfile(JSON.parse(JSON.stringify(profile))), profile);
  });

  it('round-trips through a database record', () => {
    const record = toLatencyProfileRecord(profile, 'cpu-8x8');
    assert.equal(record.backend, 'cpu');
    assert.deepEqual(record.inputShape, [8, 8, 1]);
    assert.equal(record.measuredAt.toISOString(), profile.measuredAt);
    assert.equal(record.source, 'worker');
    const stored = JSON.parse(JSON.stringify({ table: record.table }));
    assert.deepEqual(latencyProfileFromRecord(stored), profile);
  });

  it('names the first invalid field', () => {
    const broken = JSON.parse(JSON.stringify(profile));
    broken.entries['stem k=3 s=1 in=8x8x1 out=4'].medianMs = 'fast';
    assert.throws(
      () => parseLatencyProfile(broken),
      /Invalid latency profile: entries\.stem k=3 s=1 in=8x8x1 out=4\.medianMs/,
    );
  });

  it('rejects another format version', () => {
    assert.throws(() => parseLatencyProfile({ ...profile, formatVersion: 2 }), /formatVersion/);
  });
});

describe('measured latency model', () => {
  it('times the student of a genome', () => {
    const model = createLatencyModel('measured', undefined, { measure: { warmupRuns: 0, runs: 1 } });
    const tensorsBefore = tf.memory().numTensors;
    const latency = model.latencyMs(space, sampleGenome(space, new Rng(9)));
    assert.ok(latency > 0);
    assert.equal(tf.memory().numTensors, tensorsBefore);
  });
});
