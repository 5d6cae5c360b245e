import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AkdError } from '@akd/core';
import { checkPageSize, decodeCursor, encodeCursor, MAX_PAGE_SIZE, toPage } from './pagination.js';

describe('cursors', () => {
  it('round-trips a position', () => {
    const position = { value: 0.75, id: '0193a1b2-0000-7000-8000-000000000000' };
    assert.deepEqual(decodeCursor(encodeCursor(position)), position);
  });

  it('round-trips a null value', () => {
    const position = { value: null, id: 'x' };
    assert.deepEqual(decodeCursor(encodeCursor(position)), position);
  });

  for (const cursor of [
    '',
    'not base64 json',
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('[{},"x"]').toString('base64url'),
  ]) {
    it(`rejects ${JSON.stringify(cursor)}`, () => {
      assert.throws(
        () => decodeCursor(cursor),
        (error: unknown) => error instanceof AkdError && error.code === 'INVALID_INPUT',
      );
    });
  }
});

describe('checkPageSize', () => {
  it('accepts 1 and the maximum', () => {
    assert.doesNotThrow(() => checkPageSize(1));
    assert.doesNotThrow(() => checkPageSize(MAX_PAGE_SIZE));
  });

  for (const first of [0, -1, MAX_PAGE_SIZE + 1, 1.5]) {
    it(`rejects ${first}`, () => {
      assert.throws(() => checkPageSize(first), /Invalid page size/);
    });
  }
});

describe('toPage', () => {
  it('reports a next page from the extra row', () => {
    assert.deepEqual(toPage([1, 2, 3], 2), { nodes: [1, 2], hasNextPage: true });
    assert.deepEqual(toPage([1, 2], 2), { nodes: [1, 2], hasNextPage: false });
  });
});
