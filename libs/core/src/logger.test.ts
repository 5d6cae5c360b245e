import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { AkdError } from './errors.js';
import { checkLogSettings } from './logger.js';

describe('checkLogSettings', () => {
  test('accepts known and unset values', () => {
    for (const env of [
      {},
      { AKD_LOG_LEVEL: '' },
      { AKD_LOG_LEVEL: 'debug', AKD_LOG_FORMAT: 'json' },
      { AKD_LOG_LEVEL: 'error', AKD_LOG_FORMAT: 'text' },
    ]) {
      assert.doesNotThrow(() => checkLogSettings(env), JSON.stringify(env));
    }
  });

  test('rejects an unknown level with its value', () => {
    for (const level of ['verbose', 'INFO', 'toString']) {
      assert.throws(
        () => checkLogSettings({ AKD_LOG_LEVEL: level }),
        (error: unknown) =>
          error instanceof AkdError &&
          error.code === 'INVALID_INPUT' &&
          error.message ===
            `Invalid AKD_LOG_LEVEL=${level}: use debug, info, warn or error, or unset it for info.`,
      );
    }
  });

  test('rejects an unknown format with its value', () => {
    assert.throws(
      () => checkLogSettings({ AKD_LOG_FORMAT: 'yaml' }),
      (error: unknown) =>
        error instanceof AkdError &&
        error.message === 'Invalid AKD_LOG_FORMAT=yaml: use text or json, or unset it for text.',
    );
  });
});
