import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { Rng } from '@akd/core';
import type { Split } from '@akd/data';
import { countParams, defaultSearchSpace, sampleGenome } from '@akd/search-space';
import { LayerFactory } from '../model/layer-factory.js';
import { buildStudent } from '../model/student.js';
import { syntheticImages } from '../testing/synthetic.js';
import { predictLogits } from '../train/evaluate.js';
import {
  buildStudentWithFeatures,
  penultimateFeatureSize,
  predictLogitsAndFeatures,
  predictRowFeatures,
  predictRowLogits,
  withPenultimateOutput,
} from './features.js';

const shape: [number, number, number] = [8, 8, 1];

before(async () => {
  await tf.setBackend('cpu');
});

function tinyModel(seed: number): tfl.LayersModel {
  const f = new LayerFactory(seed);
  const input = tfl.input({ shape });
  const x = f.convBn(input, 5, 3, 2);
  return tfl.model({ inputs: input, outputs: f.dense(f.globalAveragePool(x), 3) });
}

/** Returns a split of synthetic images quantised to bytes, the way the data library stores pixels. */
function syntheticSplit(count: number): Split {
  const { images, labels } = syntheticImages(count, shape, 3, 4);
  return {
    images: Uint8Array.from(images, (v) => Math.round(v * 255)),
    labels: Uint8Array.from(labels),
    count,
  };
}

describe('withPenultimateOutput', () => {
  it('exposes the pooled features without new weights', () => {
    const model = tinyModel(1);
    const view = withPenultimateOutput(model);
    assert.equal(view.outputs.length, 2);
    assert.deepEqual(view.outputs[0].shape, [null, 3]);
    assert.deepEqual(view.outputs[1].shape, [null, 5]);
    assert.equal(view.countParams(), model.countParams());
    assert.equal(penultimateFeatureSize(model), 5);
    model.dispose();
  });

  it('returns the logits of the model and the pooled activations', () => {
    const model = tinyModel(2);
    const { images } = syntheticImages(6, shape, 3, 1);
    const before = tf.memory().numTensors;
    const both = predictLogitsAndFeatures(model, images, shape, 4);
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(Array.from(both.logits), Array.from(predictLogits(model, images, shape)));
    assert.equal(both.features.length, 6 * 5);
    // The features feed the dense head: logits = features · kernel + bias.
    const [kernel, bias] = model.layers[model.layers.length - 1].getWeights().map((w) => w.arraySync());
    const k = kernel as number[][];
    const b = bias as number[];
    for (let j = 0; j < 3; j++) {
      let logit = b[j];
      for (let i = 0; i < 5; i++) logit += both.features[i] * k[i][j];
      assert.ok(Math.abs(logit - both.logits[j]) < 1e-5, `logit ${j}: ${logit} vs ${both.logits[j]}`);
    }
    model.dispose();
  });

  it('rejects a model whose last layer is not dense', () => {
    const input = tfl.input({ shape });
    const model = tfl.model({
      inputs: input,
      outputs: tfl.layers.globalAveragePooling2d({}).apply(input) as tfl.SymbolicTensor,
    });
    assert.throws(
      () => withPenultimateOutput(model),
      /ends in a GlobalAveragePooling2D layer, not a dense classifier/,
    );
  });

  it('rejects a model that already has two outputs', () => {
    const model = tinyModel(3);
    assert.throws(() => withPenultimateOutput(withPenultimateOutput(model)), /has 2 outputs/);
    model.dispose();
  });
});

describe('buildStudentWithFeatures', () => {
  it('keeps the weights and parameter count of buildStudent', () => {
    const space = defaultSearchSpace(shape, 3);
    const genome = sampleGenome(space, new Rng(7));
    const plain = buildStudent(space, genome, 5);
    const { student, withFeatures } = buildStudentWithFeatures(space, genome, 5);
    assert.equal(student.countParams(), countParams(space, genome));
    assert.equal(withFeatures.countParams(), student.countParams());
    const head = plain.outputs[0].inputs[0].shape[1];
    assert.deepEqual(withFeatures.outputs[1].shape, [null, head]);
    const expected = plain.getWeights().map((w) => Array.from(w.dataSync()));
    const actual = student.getWeights().map((w) => Array.from(w.dataSync()));
    assert.deepEqual(actual, expected);
    plain.dispose();
    student.dispose();
  });
});

describe('predictRowFeatures', () => {
  it('lays rows out in index order across chunks', () => {
    const model = tinyModel(4);
    const split = syntheticSplit(10);
    const indices = Int32Array.from([7, 2, 9, 0, 5]);
    const rows = { split, indices, shape };
    const chunked = predictRowFeatures(model, rows, 2);
    const whole = predictRowFeatures(model, rows, 100);
    assert.equal(chunked.classes, 3);
    assert.equal(chunked.featureSize, 5);
    assert.deepEqual(Array.from(chunked.features), Array.from(whole.features));
    assert.deepEqual(Array.from(chunked.logits), Array.from(predictRowLogits(model, rows, 3)));

    // Row 0 is image 7 of the split.
    const image7 = Float32Array.from(split.images.subarray(7 * 64, 8 * 64), (v) => v / 255);
    const single = predictLogitsAndFeatures(model, image7, shape);
    assert.deepEqual(Array.from(chunked.features.subarray(0, 5)), Array.from(single.features));
    model.dispose();
  });
});
