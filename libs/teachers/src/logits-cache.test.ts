import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { Split } from '@akd/data';
import { zooTeacher } from './zoo.js';
import { computeLogits, indexFingerprint, readLogitsFile, writeLogitsFile } from './logits-cache.js';

let dir: string;

before(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'akd-logits-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function randomSplit(count: number): Split {
  const images = new Uint8Array(count * 8 * 8);
  for (let i = 0; i < images.length; i++) images[i] = (i * 37 + 11) % 256;
  return { images, labels: new Uint8Array(count).map((_, i) => i % 3), count };
}

describe('computeLogits', () => {
  it('gives identical values when computed twice, in inference mode', () => {
    const model = zooTeacher('resnet').build([8, 8, 1], 3, 1);
    const split = randomSplit(12);
    const indices = Int32Array.from([5, 0, 11, 3]);
    const first = computeLogits(model, split, indices, [8, 8, 1], 3);
    const second = computeLogits(model, split, indices, [8, 8, 1], 2);
    assert.equal(first.classes, 3);
    assert.equal(first.data.length, 4 * 3);
    assert.deepEqual(second.data, first.data);
    model.dispose();
  });

  it('lays out row i for indices[i]', () => {
    const model = zooTeacher('vgg').build([8, 8, 1], 3, 2);
    const split = randomSplit(6);
    const all = computeLogits(model, split, Int32Array.from([0, 1, 2, 3, 4, 5]), [8, 8, 1]);
    const picked = computeLogits(model, split, Int32Array.from([4, 1]), [8, 8, 1]);
    assert.deepEqual(Array.from(picked.data.subarray(0, 3)), Array.from(all.data.subarray(12, 15)));
    assert.deepEqual(Array.from(picked.data.subarray(3, 6)), Array.from(all.data.subarray(3, 6)));
    model.dispose();
  });
});

describe('logits files', () => {
  it('round-trips through .npy', async () => {
    const path = join(dir, 'a.npy');
    const data = Float32Array.from([1.5, -2, 3.25, 0, 7, -0.5]);
    await writeLogitsFile(path, data, 2, 3);
    assert.deepEqual(await readLogitsFile(path, 2, 3), data);
  });

  it('survives concurrent writes of one file in one process', async () => {
    const path = join(dir, 'concurrent.npy');
    const data = Float32Array.from([1, 2, 3, 4, 5, 6]);
    await Promise.all([1, 2, 3, 4].map(() => writeLogitsFile(path, data, 2, 3)));
    assert.deepEqual(await readLogitsFile(path, 2, 3), data);
  });

  it('rejects a file of another shape, naming both shapes', async () => {
    const path = join(dir, 'b.npy');
    await writeLogitsFile(path, new Float32Array(6), 2, 3);
    await assert.rejects(readLogitsFile(path, 3, 3), /has shape \[2, 3\] but \[3, 3\] is expected/);
  });

  it('rejects a truncated file', async () => {
    const path = join(dir, 'c.npy');
    await writeLogitsFile(path, new Float32Array(6), 2, 3);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 4));
    await assert.rejects(readLogitsFile(path, 2, 3), /truncated/);
  });

  it('fingerprints index lists by content', () => {
    assert.equal(indexFingerprint(Int32Array.from([1, 2])), indexFingerprint(Int32Array.from([1, 2])));
    assert.notEqual(indexFingerprint(Int32Array.from([1, 2])), indexFingerprint(Int32Array.from([2, 1])));
  });
});
