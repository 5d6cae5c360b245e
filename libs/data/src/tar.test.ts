import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';

import { AkdError } from '@akd/core';

import { readTarArchive, readTarEntries, type TarFile } from './tar.js';
import { buildTar, makeTempDir, paxRecord } from './test-support.js';

const dir = makeTempDir();

/** Yields `bytes` in chunks of `chunkSize` bytes. */
async function* inChunks(bytes: Uint8Array, chunkSize: number): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += chunkSize)
    yield bytes.subarray(start, start + chunkSize);
}

function summarize(files: TarFile[]): [string, string][] {
  return files.map((file) => [file.path, file.data.toString('latin1')]);
}

const longBody = 'x'.repeat(1300);
const sampleArchive = buildTar([
  { name: 'folder/', typeFlag: '5' },
  { name: 'folder/a.bin', data: Buffer.from('first file') },
  { name: 'folder/skipped.txt', data: Buffer.from('not selected') },
  { name: 'b.bin', prefix: 'very/long/prefix', data: Buffer.from(longBody) },
  { name: 'PaxHeaders/c', typeFlag: 'x', data: Buffer.from(paxRecord('path', 'pax/renamed.bin')) },
  { name: 'short-c.bin', data: Buffer.from('pax body') },
  { name: '././@LongLink', typeFlag: 'L', data: Buffer.from('gnu/long-name.bin\0') },
  { name: 'truncated-name', data: Buffer.from('gnu body') },
  { name: 'empty.bin' },
]);
const expected: [string, string][] = [
  ['folder/a.bin', 'first file'],
  ['very/long/prefix/b.bin', longBody],
  ['pax/renamed.bin', 'pax body'],
  ['gnu/long-name.bin', 'gnu body'],
  ['empty.bin', ''],
];
const selectBin = { select: (header: { path: string }) => header.path.endsWith('.bin') };

async function assertRejectsWith(fn: () => Promise<unknown>, fragments: string[]): Promise<void> {
  await assert.rejects(fn, (error: unknown) => {
    assert.ok(error instanceof AkdError, `expected an AkdError, got ${String(error)}`);
    assert.equal(error.code, 'INVALID_FILE');
    for (const fragment of fragments) {
      assert.ok(
        error.message.includes(fragment),
        `message ${JSON.stringify(error.message)} lacks "${fragment}"`,
      );
    }
    return true;
  });
}

describe('readTarEntries', () => {
  it('returns selected files with long names', async () => {
    const files = await readTarEntries(inChunks(sampleArchive, 64 * 1024), {
      source: 'sample.tar',
      ...selectBin,
    });
    assert.deepEqual(summarize(files), expected);
  });

  for (const chunkSize of [1, 7, 511, 512, 513]) {
    it(`parses ${chunkSize}-byte chunks`, async () => {
      const files = await readTarEntries(inChunks(sampleArchive, chunkSize), {
        source: 'sample.tar',
        ...selectBin,
      });
      assert.deepEqual(summarize(files), expected);
    });
  }

  it('passes file headers to select', async () => {
    const seen: string[] = [];
    await readTarEntries(inChunks(sampleArchive, 4096), {
      source: 'sample.tar',
      select: (header) => {
        seen.push(`${header.kind}:${header.path}:${header.sizeBytes}`);
        return false;
      },
    });
    assert.deepEqual(seen, [
      'file:folder/a.bin:10',
      'file:folder/skipped.txt:12',
      `file:very/long/prefix/b.bin:${longBody.length}`,
      'file:pax/renamed.bin:8',
      'file:gnu/long-name.bin:8',
      'file:empty.bin:0',
    ]);
  });

  it('rejects a path with ..', async () => {
    const archive = buildTar([
      { name: 'ok.bin', data: Buffer.from('fine') },
      { name: 'data/../../escape.bin', data: Buffer.from('evil') },
    ]);
    await assertRejectsWith(
      () => readTarEntries(inChunks(archive, 512), { source: 'evil.tar', ...selectBin }),
      ['evil.tar', 'data/../../escape.bin', '..'],
    );
  });

  it('rejects an absolute path', async () => {
    const archive = buildTar([{ name: '/etc/passwd', data: Buffer.from('root') }]);
    await assertRejectsWith(
      () => readTarEntries(inChunks(archive, 512), { source: 'abs.tar', ...selectBin }),
      ['abs.tar', '/etc/passwd', 'absolute'],
    );
  });

  it('rejects an escaping pax path', async () => {
    const archive = buildTar([
      { name: 'PaxHeaders/x', typeFlag: 'x', data: Buffer.from(paxRecord('path', '../outside.bin')) },
      { name: 'inside.bin', data: Buffer.from('x') },
    ]);
    await assertRejectsWith(
      () => readTarEntries(inChunks(archive, 512), { source: 'pax.tar', ...selectBin }),
      ['../outside.bin'],
    );
  });

  it('reports a truncated archive', async () => {
    const archive = buildTar([{ name: 'big.bin', data: Buffer.alloc(2000, 1) }]);
    await assertRejectsWith(
      () => readTarEntries(inChunks(archive.subarray(0, 1200), 100), { source: 'cut.tar', ...selectBin }),
      ['cut.tar', 'truncated', 'big.bin'],
    );
  });

  it('reports a bad header checksum', async () => {
    const archive = buildTar([{ name: 'a.bin', data: Buffer.from('abc') }]);
    archive[0] = 'b'.charCodeAt(0);
    await assertRejectsWith(
      () => readTarEntries(inChunks(archive, 512), { source: 'bad.tar', ...selectBin }),
      ['bad.tar', 'checksum of block 0'],
    );
  });
});

describe('readTarArchive', () => {
  it('reads gzipped and plain archives', async () => {
    const gzPath = join(dir, 'sample.tar.gz');
    const plainPath = join(dir, 'sample.tar');
    writeFileSync(gzPath, gzipSync(sampleArchive));
    writeFileSync(plainPath, sampleArchive);
    assert.deepEqual(summarize(await readTarArchive(gzPath, selectBin)), expected);
    assert.deepEqual(summarize(await readTarArchive(plainPath, selectBin)), expected);
  });

  it('reports a corrupted gzip stream', async () => {
    const path = join(dir, 'corrupt.tar.gz');
    const gz = gzipSync(sampleArchive);
    writeFileSync(path, gz.subarray(0, gz.length >> 1));
    await assertRejectsWith(() => readTarArchive(path, selectBin), [path]);
  });

  const hasTar = spawnSync('tar', ['--version']).status === 0;
  it('reads an archive made by system tar', { skip: hasTar ? false : 'tar is not installed' }, async () => {
    const source = join(dir, 'tree');
    mkdirSync(join(source, 'sub'), { recursive: true });
    writeFileSync(join(source, 'sub', 'one.bin'), 'one');
    writeFileSync(join(source, 'two.bin'), Buffer.alloc(700, 2));
    const archive = join(dir, 'system.tgz');
    const result = spawnSync('tar', ['-czf', archive, '-C', dir, 'tree'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);

    const files = await readTarArchive(archive, selectBin);
    const byPath = new Map(files.map((file) => [file.path, file.data]));
    assert.deepEqual([...byPath.keys()].sort(), ['tree/sub/one.bin', 'tree/two.bin']);
    assert.equal(byPath.get('tree/sub/one.bin')?.toString(), 'one');
    assert.deepEqual(byPath.get('tree/two.bin'), Buffer.alloc(700, 2));
  });
});
