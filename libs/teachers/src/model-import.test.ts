import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { AkdError } from '@akd/core';
import { checkImportedModel, copyModelFiles, listModelFiles } from './model-import.js';

const expected = { shape: [8, 8, 1] as const, classes: 4, dataset: 'tiny' };
let dir: string;

function model(
  inputShape: (number | null)[],
  head: 'logits' | 'softmax' | 'map' = 'logits',
): tfl.LayersModel {
  const input = tfl.input({ shape: inputShape });
  const features = tfl.layers.conv2d({ filters: 4, kernelSize: 1 }).apply(input) as tfl.SymbolicTensor;
  if (head === 'map') return tfl.model({ inputs: input, outputs: features });
  const pooled = tfl.layers.globalAveragePooling2d({}).apply(features) as tfl.SymbolicTensor;
  const activation = head === 'softmax' ? 'softmax' : undefined;
  const output = tfl.layers.dense({ units: 4, activation }).apply(pooled) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: output });
}

function rejects(pattern: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof AkdError, `expected an AkdError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  };
}

before(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'akd-model-import-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('checkImportedModel', () => {
  it('accepts unknown spatial dimensions', () => {
    checkImportedModel(model([null, null, 1]), expected, 'fcn');
  });

  it('names both input shapes', () => {
    assert.throws(
      () => checkImportedModel(model([8, 8, 3]), expected, 'rgb'),
      rejects(/Model rgb takes inputs of shape \[8, 8, 3\] but dataset tiny has images of shape \[8, 8, 1\]/),
    );
  });

  it('names both class counts', () => {
    assert.throws(
      () => checkImportedModel(model([8, 8, 1]), { ...expected, classes: 10 }, 'four'),
      (error: unknown) => {
        assert.ok(error instanceof AkdError, `expected an AkdError, got ${String(error)}`);
        assert.equal(error.code, 'INVALID_FILE');
        assert.match(
          error.message,
          /Model four outputs 4 values per example but dataset tiny has 10 classes/,
        );
        return true;
      },
    );
  });

  it('rejects a second output', () => {
    const input = tfl.input({ shape: [8, 8, 1] });
    const pooled = tfl.layers.globalAveragePooling2d({}).apply(input) as tfl.SymbolicTensor;
    const logits = tfl.layers.dense({ units: 4 }).apply(pooled) as tfl.SymbolicTensor;
    const twoHeads = tfl.model({ inputs: input, outputs: [logits, pooled] });
    assert.throws(
      () => checkImportedModel(twoHeads, expected, 'two-heads'),
      rejects(/Model two-heads has 1 inputs and 2 outputs; a teacher needs exactly one image input/),
    );
  });

  it('rejects a spatial output', () => {
    assert.throws(
      () => checkImportedModel(model([8, 8, 1], 'map'), expected, 'map'),
      rejects(/Model map has output shape \[8, 8, 4\] per example/),
    );
  });

  it('rejects a final softmax', () => {
    assert.throws(
      () => checkImportedModel(model([8, 8, 1], 'softmax'), expected, 'probs'),
      rejects(/Model probs ends with a softmax/),
    );
  });
});

describe('listModelFiles', () => {
  it('lists model.json and each shard once', async () => {
    const source = join(dir, 'sharded');
    mkdirSync(join(source, 'weights'), { recursive: true });
    const manifest = [
      { paths: ['./weights/a.bin', 'weights/b.bin'], weights: [] },
      { paths: ['weights/a.bin'], weights: [] },
    ];
    writeFileSync(join(source, 'model.json'), JSON.stringify({ weightsManifest: manifest }));
    writeFileSync(join(source, 'weights', 'a.bin'), 'a');
    writeFileSync(join(source, 'weights', 'b.bin'), 'b');
    writeFileSync(join(source, 'notes.txt'), 'not part of the model');
    assert.deepEqual(await listModelFiles(source), ['model.json', 'weights/a.bin', 'weights/b.bin']);

    const copy = join(dir, 'copy');
    await copyModelFiles(source, copy);
    assert.deepEqual(readdirSync(copy).sort(), ['model.json', 'weights']);
    assert.deepEqual(readdirSync(join(copy, 'weights')).sort(), ['a.bin', 'b.bin']);
  });

  it('rejects a shard outside the directory', async () => {
    const source = join(dir, 'escape');
    mkdirSync(source);
    writeFileSync(join(source, 'model.json'), JSON.stringify({ weightsManifest: [{ paths: ['../x.bin'] }] }));
    await assert.rejects(
      listModelFiles(source),
      rejects(/Weight shard path "\.\.\/x\.bin" .* leaves the model directory/),
    );
  });
});
