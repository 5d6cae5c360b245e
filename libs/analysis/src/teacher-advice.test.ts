import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { adviseTeachers } from './teacher-advice.js';
import { assertInvalidInput } from './test-support.js';

function candidate(id: string, teacher: string, accuracy: number, latencyMs: number) {
  return { id, teacher, accuracy, latencyMs };
}

const candidates = [
  candidate('r1', 'resnet', 0.88, 12), // over the 10 ms target
  candidate('r2', 'resnet', 0.84, 9),
  candidate('r3', 'resnet', 0.84, 8), // as accurate as r2 and faster
  candidate('v1', 'vgg', 0.86, 10), // exactly at the target counts
  candidate('m1', 'mobilenet', 0.9, 15),
  candidate('e1', 'ensemble', 0.86, 7),
];

describe('adviseTeachers', () => {
  it('ranks by the best student under the target', () => {
    const advice = adviseTeachers(candidates, 10);
    assert.deepEqual(
      advice.map((entry) => entry.teacher),
      ['vgg', 'ensemble', 'resnet', 'mobilenet'],
    );
    // vgg and ensemble tie at 0.86 and share ranks (1 + 2)/2 = 1.5.
    assert.deepEqual(
      advice.map((entry) => entry.rank),
      [1.5, 1.5, 3, null],
    );
    assert.deepEqual(
      advice.map((entry) => entry.best?.id ?? null),
      ['v1', 'e1', 'r3', null],
    );
  });

  it('counts the candidates behind each figure', () => {
    const advice = adviseTeachers(candidates, 10);
    const resnet = advice.find((entry) => entry.teacher === 'resnet');
    assert.equal(resnet?.candidatesUnderTarget, 2);
    assert.equal(resnet?.candidates, 3);
    assert.equal(resnet?.bestAccuracy, 0.84);
    const mobilenet = advice.find((entry) => entry.teacher === 'mobilenet');
    assert.equal(mobilenet?.candidatesUnderTarget, 0);
    assert.equal(mobilenet?.candidates, 1);
    assert.equal(mobilenet?.bestAccuracy, null);
  });

  it('lists teachers without candidates', () => {
    const advice = adviseTeachers(candidates.slice(0, 3), 10, { teachers: ['vgg', 'resnet'] });
    assert.deepEqual(
      advice.map((entry) => [entry.teacher, entry.rank, entry.candidates]),
      [
        ['resnet', 1, 3],
        ['vgg', null, 0],
      ],
    );
  });

  it('rejects bad input', () => {
    assertInvalidInput(() => adviseTeachers(candidates, 0), /latencyTargetMs is 0/);
    assertInvalidInput(() => adviseTeachers([], 10), /no candidates and no teachers/);
    assertInvalidInput(
      () => adviseTeachers(candidates, 10, { teachers: ['vgg'] }),
      /candidates\[0\] has teacher resnet, which options.teachers does not list/,
    );
    assertInvalidInput(
      () => adviseTeachers([candidate('x', 'vgg', Number.NaN, 5)], 10),
      /candidates\[0\].accuracy is NaN/,
    );
  });
});
