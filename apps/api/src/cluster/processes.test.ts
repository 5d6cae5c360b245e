import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AkdError } from '@akd/core';
import { apiProcessesFromEnv, MAX_API_PROCESSES } from './processes.js';

describe('AKD_API_PROCESSES', () => {
  it('defaults to one per core', () => {
    assert.equal(apiProcessesFromEnv({}, 2), 2);
    assert.equal(apiProcessesFromEnv({ AKD_API_PROCESSES: 'auto' }, 3), 3);
  });

  it('caps the default at 4', () => {
    assert.equal(apiProcessesFromEnv({}, 16), 4);
  });

  it('takes a whole number', () => {
    assert.equal(apiProcessesFromEnv({ AKD_API_PROCESSES: '1' }, 8), 1);
    assert.equal(apiProcessesFromEnv({ AKD_API_PROCESSES: ' 6 ' }, 2), 6);
  });

  for (const value of ['0', '-1', '1.5', 'two', String(MAX_API_PROCESSES + 1)]) {
    it(`rejects ${value}`, () => {
      assert.throws(
        () => apiProcessesFromEnv({ AKD_API_PROCESSES: value }, 2),
        (error: unknown) =>
          error instanceof AkdError &&
          error.code === 'INVALID_INPUT' &&
          error.message.includes(`AKD_API_PROCESSES=${value}`) &&
          error.message.includes('auto'),
      );
    });
  }
});
