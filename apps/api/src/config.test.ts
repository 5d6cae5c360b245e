import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AkdError } from '@akd/core';
import { configFromEnv } from './config.js';

describe('AKD_API_TOKEN_CACHE_MS', () => {
  it('defaults to 5 s', () => {
    assert.equal(configFromEnv({}).tokenCacheMs, 5000);
  });

  it('accepts 0', () => {
    assert.equal(configFromEnv({ AKD_API_TOKEN_CACHE_MS: '0' }).tokenCacheMs, 0);
  });

  for (const value of ['-1', '2.5', 'soon']) {
    it(`rejects ${value}`, () => {
      assert.throws(
        () => configFromEnv({ AKD_API_TOKEN_CACHE_MS: value }),
        (error: unknown) =>
          error instanceof AkdError && error.message.includes(`AKD_API_TOKEN_CACHE_MS=${value}`),
      );
    });
  }
});

describe('log settings', () => {
  it('rejects an unknown AKD_LOG_FORMAT', () => {
    assert.throws(
      () => configFromEnv({ AKD_LOG_FORMAT: 'xml' }),
      (error: unknown) => error instanceof AkdError && error.message.includes('AKD_LOG_FORMAT=xml'),
    );
  });
});
