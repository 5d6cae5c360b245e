import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { Rng } from '@akd/core';
import { defaultSearchSpace, expandGenome, sampleGenome, type Genome } from '@akd/search-space';
import { initBackend } from '../backend/init.js';
import { LayerFactory } from '../model/layer-factory.js';
import { buildStudent } from '../model/student.js';
import { enumerateLayerKeys, planKeySpecs } from './keys.js';
import { applyPart, buildPartModel, partInputShape } from './part-model.js';
import { twoBlockSpace } from './test-fixtures.js';

const space = defaultSearchSpace([28, 28, 1], 10);

before(async () => {
  await initBackend({ backend: 'cpu' });
});

/** Builds the genome's network by chaining its parts on one factory, as the profile times them. */
function buildFromParts(genome: Genome, seed: number): tfl.LayersModel {
  const f = new LayerFactory(seed);
  const input = tfl.input({ shape: space.inputShape });
  let x = input;
  for (const spec of planKeySpecs(expandGenome(space, genome))) x = applyPart(f, x, spec);
  return tfl.model({ inputs: input, outputs: x });
}

describe('applyPart', () => {
  it('rebuilds the student layer for layer', () => {
    const rng = new Rng(23);
    const image = tf.randomUniform([1, 28, 28, 1], 0, 1, 'float32', 3);
    for (let i = 0; i < 6; i++) {
      const genome = sampleGenome(space, rng);
      const student = buildStudent(space, genome, i);
      const rebuilt = buildFromParts(genome, i);
      const classes = (model: tfl.LayersModel): string[] => model.layers.map((layer) => layer.getClassName());
      assert.deepEqual(classes(rebuilt), classes(student), `genome ${i}`);
      const expected = tf.tidy(() => (student.predict(image) as tf.Tensor).dataSync());
      const actual = tf.tidy(() => (rebuilt.predict(image) as tf.Tensor).dataSync());
      assert.deepEqual(actual, expected, `genome ${i}`);
      student.dispose();
      rebuilt.dispose();
    }
    image.dispose();
  });
});

describe('buildPartModel', () => {
  it('gives every part of the two-block space its output shape', () => {
    for (const spec of enumerateLayerKeys(twoBlockSpace())) {
      const model = buildPartModel(spec, 1);
      const shape = tf.tidy(() => (model.predict(tf.zeros([1, ...partInputShape(spec)])) as tf.Tensor).shape);
      model.dispose();
      switch (spec.kind) {
        case 'stem':
          assert.deepEqual(
            shape,
            [1, spec.stem.outHeight, spec.stem.outWidth, spec.stem.outChannels],
            spec.key,
          );
          break;
        case 'layer':
          assert.deepEqual(
            shape,
            [1, spec.layer.outHeight, spec.layer.outWidth, spec.layer.outChannels],
            spec.key,
          );
          break;
        case 'head':
          assert.deepEqual(shape, [1, spec.head.outChannels], spec.key);
          break;
        case 'classifier':
          assert.deepEqual(shape, [1, spec.classifier.outFeatures], spec.key);
          break;
      }
    }
  });
});
