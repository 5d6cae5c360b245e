import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { LayerFactory } from './layer-factory.js';
import { loadModel, saveModel } from './io.js';
import { predictLogits } from '../train/evaluate.js';
import { syntheticImages } from '../testing/synthetic.js';
import { measureLatencyMs } from './latency.js';

const shape: [number, number, number] = [8, 8, 1];
let dir: string;

function model(seed: number): tfl.LayersModel {
  const f = new LayerFactory(seed);
  const input = tfl.input({ shape });
  const x = f.squeezeExcite(f.convBn(input, 4, 3), 1);
  return tfl.model({ inputs: input, outputs: f.dense(f.globalAveragePool(x), 3) });
}

before(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'akd-io-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('saveModel and loadModel', () => {
  it('reload gives identical predictions', async () => {
    const original = model(1);
    const { images } = syntheticImages(10, shape, 3, 1);
    const target = join(dir, 'm1');
    await saveModel(original, target);
    assert.deepEqual(readdirSync(target).sort(), ['model.json', 'weights.bin']);
    assert.deepEqual(readdirSync(dir), ['m1'], 'no staging directory is left behind');
    const loaded = await loadModel(target);
    assert.deepEqual(predictLogits(loaded, images, shape), predictLogits(original, images, shape));
    original.dispose();
    loaded.dispose();
  });

  it('same seed builds identical weights', () => {
    const a = model(7);
    const b = model(7);
    const { images } = syntheticImages(4, shape, 3, 2);
    assert.deepEqual(predictLogits(a, images, shape), predictLogits(b, images, shape));
    a.dispose();
    b.dispose();
  });

  it('names a missing weight shard', async () => {
    const target = join(dir, 'm2');
    const m = model(2);
    await saveModel(m, target);
    m.dispose();
    rmSync(join(target, 'weights.bin'));
    await assert.rejects(loadModel(target), /Weight shard "\.\/weights\.bin" .* is missing/);
  });

  it('rejects a shard path that leaves the directory', async () => {
    const target = join(dir, 'm3');
    const m = model(3);
    await saveModel(m, target);
    m.dispose();
    const json = JSON.parse(readFileSync(join(target, 'model.json'), 'utf8'));
    json.weightsManifest[0].paths = ['../../etc/passwd'];
    writeFileSync(join(target, 'model.json'), JSON.stringify(json));
    await assert.rejects(loadModel(target), /leaves the model directory/);
  });

  it('rejects truncated weights', async () => {
    const target = join(dir, 'm4');
    const m = model(4);
    await saveModel(m, target);
    m.dispose();
    const weights = readFileSync(join(target, 'weights.bin'));
    writeFileSync(join(target, 'weights.bin'), weights.subarray(0, weights.length - 8));
    await assert.rejects(loadModel(target), /hold \d+ bytes but the manifest describes \d+/);
  });

  it('rejects a directory without model.json', async () => {
    await assert.rejects(loadModel(join(dir, 'absent')), /Cannot read .*model\.json/);
  });
});

describe('measureLatencyMs', () => {
  it('returns the fastest timed pass', () => {
    const m = model(5);
    // The fake clock advances by these durations, one per pass: 2 warm-up passes, then 5 timed.
    const durations = [0.5, 0.25, 3, 1.25, 9, 2, 7];
    let time = 0;
    let reads = 0;
    const now = (): number => {
      // Every pass reads the clock twice: at its start and at its end.
      if (reads++ % 2 === 1) time += durations[(reads - 2) / 2];
      return time;
    };
    const ms = measureLatencyMs(m, shape, { warmupRuns: 2, runs: 5, now });
    assert.equal(reads, 14);
    assert.equal(ms, 1.25);
    m.dispose();
  });

  it('returns a positive time without leaking tensors', () => {
    const m = model(5);
    const before = tf.memory().numTensors;
    const ms = measureLatencyMs(m, shape, { warmupRuns: 1, runs: 5 });
    assert.ok(Number.isFinite(ms), `latency ${ms}`);
    assert.ok(ms > 0, `latency ${ms}`);
    assert.equal(tf.memory().numTensors, before);
    m.dispose();
  });
});
