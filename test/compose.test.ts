import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ROOT } from './support.js';

const installed = spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;

describe('docker-compose.yml', () => {
  it('is a valid compose file', { skip: !installed && 'docker-compose is not installed' }, () => {
    const result = spawnSync('docker-compose', ['config', '-q'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, POSTGRES_PASSWORD: 'compose-check' },
    });
    assert.equal(result.status, 0, result.stderr);
  });

  it(
    'defines postgres, api, worker and web services',
    { skip: !installed && 'docker-compose is not installed' },
    () => {
      const result = spawnSync('docker-compose', ['config', '--services'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, POSTGRES_PASSWORD: 'compose-check' },
      });
      assert.deepEqual(result.stdout.trim().split('\n').sort(), ['api', 'postgres', 'web', 'worker']);
    },
  );
});
