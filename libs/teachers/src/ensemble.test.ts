import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AkdError } from '@akd/core';
import { validateEnsembleMembers, type EnsembleCandidate } from './ensemble.js';

const teachers: EnsembleCandidate[] = [
  { id: 'a', name: 'resnet', status: 'ready', datasetId: 'd1', datasetName: 'fashion-mnist' },
  { id: 'b', name: 'vgg', status: 'ready', datasetId: 'd1', datasetName: 'fashion-mnist' },
  { id: 'c', name: 'mobilenetv2', status: 'training', datasetId: 'd1', datasetName: 'fashion-mnist' },
  { id: 'd', name: 'cifar-resnet', status: 'ready', datasetId: 'd2', datasetName: 'cifar-10' },
];

function rejects(code: string, pattern: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof AkdError, `expected an AkdError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  };
}

describe('validateEnsembleMembers', () => {
  it('returns members in the given order', () => {
    const members = validateEnsembleMembers(['b', 'a'], teachers);
    assert.deepEqual(
      members.map((member) => member.id),
      ['b', 'a'],
    );
  });

  it('rejects a single member', () => {
    assert.throws(
      () => validateEnsembleMembers(['a'], teachers),
      rejects('INVALID_INPUT', /at least 2 member teachers, but 1 was given/),
    );
  });

  it('rejects a repeated member', () => {
    assert.throws(
      () => validateEnsembleMembers(['a', 'b', 'a'], teachers),
      rejects('INVALID_INPUT', /Teacher resnet \(a\) is listed twice/),
    );
  });

  it('rejects a member that is not ready', () => {
    assert.throws(
      () => validateEnsembleMembers(['a', 'c'], teachers),
      rejects('INVALID_INPUT', /Teacher mobilenetv2 is training, not ready/),
    );
  });

  it('names both datasets', () => {
    assert.throws(
      () => validateEnsembleMembers(['a', 'd'], teachers),
      rejects(
        'INVALID_INPUT',
        /Teacher cifar-resnet belongs to dataset cifar-10 but teacher resnet belongs to dataset fashion-mnist/,
      ),
    );
  });

  it('rejects an unknown id', () => {
    assert.throws(
      () => validateEnsembleMembers(['a', 'zz'], teachers),
      rejects('NOT_FOUND', /No teacher has id zz/),
    );
  });
});
