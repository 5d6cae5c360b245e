import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { AkdError } from '@akd/core';
import type { Split } from '@akd/data';
import { LayerFactory } from '../model/layer-factory.js';
import { syntheticImages } from '../testing/synthetic.js';
import { SplitBatchSource } from '../train/split-source.js';
import { trainModel } from '../train/trainer.js';
import { predictRowLogits } from './features.js';
import { distillThroughAssistant, type TeacherAssistantOptions } from './teacher-assistant.js';

const shape: [number, number, number] = [8, 8, 1];
const COUNT = 32;

before(async () => {
  await tf.setBackend('cpu');
});

/** Returns an `assert.rejects` validator for an INVALID_INPUT AkdError whose message matches `message`. */
function invalidInput(message: RegExp): (error: unknown) => true {
  return (error) => {
    assert.ok(error instanceof AkdError, `expected an AkdError, got ${String(error)}`);
    assert.equal(error.code, 'INVALID_INPUT');
    assert.match(error.message, message);
    return true;
  };
}

/** Builds a flatten and dense model, whose logits are the same in training and inference mode. */
function denseNetwork(seed: number): tfl.LayersModel {
  const f = new LayerFactory(seed);
  const input = tfl.input({ shape });
  const flat = tfl.layers.flatten().apply(input) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: f.dense(flat, 4) });
}

function softmax(row: ArrayLike<number>, temperature = 1): number[] {
  const scaled = Array.from(row, (v) => v / temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((v) => v / sum);
}

/** Mean of `(1 − λ)·CE + λ·τ²·KL(softmax(t/τ) ‖ softmax(s/τ))` over rows of 4 classes, in float64. */
function hintonByHand(
  student: Float32Array,
  teacher: Float32Array,
  labels: ArrayLike<number>,
  lambda: number,
  temperature: number,
): number {
  let total = 0;
  for (let row = 0; row < labels.length; row++) {
    const s = student.subarray(row * 4, row * 4 + 4);
    const p = softmax(teacher.subarray(row * 4, row * 4 + 4), temperature);
    const q = softmax(s, temperature);
    const kl = p.reduce((sum, pk, k) => sum + pk * Math.log(pk / q[k]), 0);
    const ce = -Math.log(softmax(s)[labels[row]]);
    total += (1 - lambda) * ce + lambda * temperature ** 2 * kl;
  }
  return total / labels.length;
}

/** Builds two conv-BN-ReLU layers of `width` channels, global pooling and a dense head of 4 classes. */
function network(seed: number, width: number): tfl.LayersModel {
  const f = new LayerFactory(seed);
  const input = tfl.input({ shape });
  const x = f.convBn(f.convBn(input, width, 3, 2), width, 3);
  return tfl.model({ inputs: input, outputs: f.dense(f.globalAveragePool(x), 4) });
}

function syntheticSplit(): Split {
  const { images, labels } = syntheticImages(COUNT, shape, 4, 9);
  return {
    images: Uint8Array.from(images, (v) => Math.round(v * 255)),
    labels: Uint8Array.from(labels),
    count: COUNT,
  };
}

describe('distillThroughAssistant', () => {
  const split = syntheticSplit();
  const indices = Int32Array.from({ length: COUNT }, (_, i) => i);
  const rows = { split, indices, shape };
  const data = new SplitBatchSource(split, indices, shape, 8, 3);
  let teacherLogits: Float32Array;
  let teacherParams: number;

  before(async () => {
    const teacher = network(1, 16);
    await trainModel(teacher, data, {
      epochs: 3,
      batchSize: 8,
      learningRate: 0.02,
      loss: { kind: 'hard-label' },
    });
    teacherLogits = predictRowLogits(teacher, rows);
    teacherParams = teacher.countParams();
    teacher.dispose();
  });

  function options(assistant: tfl.LayersModel, student: tfl.LayersModel): TeacherAssistantOptions {
    return {
      assistant,
      student,
      teacherLogits,
      numClasses: 4,
      teacherParams,
      data,
      batchSize: 8,
      rows,
      assistantHop: { epochs: 2, learningRate: 0.02, lambda: 0.9, temperature: 4 },
      studentHop: { epochs: 4, learningRate: 0.02, lambda: 0.9, temperature: 4 },
    };
  }

  it('trains the assistant, computes its logits, then trains the student', async () => {
    const assistant = network(2, 8);
    const student = network(3, 4);
    const hops: string[] = [];
    const before = tf.memory().numTensors;
    const result = await distillThroughAssistant({
      ...options(assistant, student),
      onStep: (hop, step) => {
        if (step === 1) hops.push(hop);
      },
    });
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(hops, ['assistant', 'student']);
    assert.equal(result.assistant.epochLosses.length, 2);
    assert.equal(result.student.epochLosses.length, 4);

    // The student's targets are the trained assistant's logits over the rows, not the teacher's.
    assert.equal(result.assistantLogits.length, COUNT * 4);
    assert.deepEqual(Array.from(result.assistantLogits), Array.from(predictRowLogits(assistant, rows)));
    assert.notDeepEqual(Array.from(result.assistantLogits), Array.from(teacherLogits));

    const losses = result.student.epochLosses;
    assert.ok(losses[3] < losses[0], `student losses ${losses.join(', ')}`);
    assistant.dispose();
    student.dispose();
  });

  it('student hop loss by hand', async () => {
    // The student has no batch norm and Adam at 1e-9 barely moves it, so its first-epoch loss is
    // the Hinton loss of its initial logits against the trained assistant's logits.
    const assistant = network(10, 8);
    const student = denseNetwork(11);
    const initial = predictRowLogits(student, rows);
    const studentHop = { epochs: 1, learningRate: 1e-9, lambda: 0.7, temperature: 3 };
    const result = await distillThroughAssistant({ ...options(assistant, student), studentHop });

    const labels = Array.from(indices, (index) => split.labels[index]);
    const fromAssistant = hintonByHand(initial, result.assistantLogits, labels, 0.7, 3);
    const fromTeacher = hintonByHand(initial, teacherLogits, labels, 0.7, 3);
    assert.ok(Math.abs(fromAssistant - fromTeacher) > 0.01, `${fromAssistant} against ${fromTeacher}`);
    const loss = result.student.epochLosses[0];
    assert.ok(Math.abs(loss - fromAssistant) < 1e-4, `loss ${loss}, by hand ${fromAssistant}`);
    assistant.dispose();
    student.dispose();
  });

  it('rejects an assistant larger than the teacher, naming both sizes', async () => {
    const assistant = network(4, 32);
    const student = network(5, 4);
    const assistantParams = assistant.countParams();
    await assert.rejects(distillThroughAssistant(options(assistant, student)), (error: Error) => {
      assert.match(error.message, new RegExp(`assistant has ${assistantParams} parameters`));
      assert.match(error.message, new RegExp(`teacher's ${teacherParams}`));
      assert.equal((error as { code?: string }).code, 'INVALID_INPUT');
      return true;
    });
    assistant.dispose();
    student.dispose();
  });

  it('rejects a student larger than the assistant', async () => {
    const assistant = network(6, 4);
    const student = network(7, 8);
    await assert.rejects(
      distillThroughAssistant(options(assistant, student)),
      new RegExp(
        `student has ${student.countParams()} parameters, more than the teacher assistant's ${assistant.countParams()}`,
      ),
    );
    assistant.dispose();
    student.dispose();
  });

  it('rejects invalid hop settings before training', async () => {
    const assistant = network(8, 8);
    const student = network(9, 4);
    const base = options(assistant, student);
    const weights = assistant.getWeights().map((w) => Array.from(w.dataSync()));
    const cases: [Partial<TeacherAssistantOptions>, RegExp][] = [
      [{ assistantHop: { ...base.assistantHop, temperature: 0 } }, /temperature 0/],
      [{ studentHop: { ...base.studentHop, lambda: 1.2 } }, /lambda=1.2/],
      [{ studentHop: { ...base.studentHop, epochs: 0 } }, /Invalid student epochs 0/],
      [{ assistantHop: { ...base.assistantHop, learningRate: 0 } }, /Invalid assistant learning rate 0/],
      [{ teacherParams: 0 }, /Invalid teacher parameter count 0/],
      [
        { teacherLogits: new Float32Array(10) },
        /Teacher logits have 10 values but 32 rows of 4 classes need 128/,
      ],
      [{ numClasses: 5 }, /outputs 4 logits but the teacher has 5 classes/],
    ];
    for (const [change, message] of cases) {
      await assert.rejects(distillThroughAssistant({ ...base, ...change }), invalidInput(message));
    }
    // Nothing was trained by the rejected calls.
    assert.deepEqual(
      assistant.getWeights().map((w) => Array.from(w.dataSync())),
      weights,
    );
    assistant.dispose();
    student.dispose();
  });
});
