import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { AkdError } from '@akd/core';
import {
  averageLogits,
  checkLogitsMatrix,
  gatherLogitsRows,
  logitsFileFormat,
  parseLogitsCsv,
  parseLogitsFile,
  parseLogitsJson,
  readLogitsInput,
  type LogitsFileContents,
  type LogitsMatrix,
} from './logits-files.js';
import { npyBytes } from './test-support.js';

function matrixOf(contents: LogitsFileContents): LogitsMatrix {
  assert.equal(contents.kind, 'matrix');
  return (contents as { matrix: LogitsMatrix }).matrix;
}

function hasMessage(pattern: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof AkdError, `expected an AkdError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  };
}

const expected = { split: 'train', rows: 2, classes: 3, dataset: 'tiny' };

describe('parseLogitsFile npy', () => {
  const values = [1.5, -2, 0.25, 3, 4.5, -6];

  for (const dtype of ['<f4', '>f4', '<f8', '>f8'] as const) {
    it(`reads ${dtype}`, () => {
      const matrix = matrixOf(parseLogitsFile(npyBytes(values, [2, 3], dtype), 'npy', 'x.npy'));
      assert.equal(matrix.rows, 2);
      assert.equal(matrix.cols, 3);
      assert.deepEqual(Array.from(matrix.data), values);
    });
  }

  it('rejects an integer dtype', () => {
    assert.throws(
      () => parseLogitsFile(npyBytes(values, [2, 3], '<i4'), 'npy', 'int.npy'),
      hasMessage(/int\.npy has dtype '<i4'; logits must be float32 or float64/),
    );
  });

  it('rejects Fortran order', () => {
    assert.throws(
      () => parseLogitsFile(npyBytes(values, [2, 3], '<f4', true), 'npy', 'f.npy'),
      hasMessage(/f\.npy is stored in Fortran \(column-major\) order/),
    );
  });

  it('rejects a 1-D array', () => {
    assert.throws(
      () => parseLogitsFile(npyBytes(values, [6], '<f4'), 'npy', 'flat.npy'),
      hasMessage(/flat\.npy has shape \(6\); a logits file must be 2-D/),
    );
  });

  it('turns float64 overflow into a rejected value', () => {
    const matrix = matrixOf(
      parseLogitsFile(npyBytes([1, 2, 3, 4, 1e300, 6], [2, 3], '<f8'), 'npy', 'big.npy'),
    );
    assert.throws(
      () => checkLogitsMatrix(matrix, expected, 'big.npy'),
      hasMessage(/an infinite value \(or one beyond the float32 range\) at row 1, column 1/),
    );
  });
});

describe('parseLogitsCsv', () => {
  it('reads commas with a header row', () => {
    const matrix = parseLogitsCsv('c0,c1,c2\n1, 2.5 ,-3\n4e-1,5,6\n\n', 'a.csv');
    assert.equal(matrix.rows, 2);
    assert.equal(matrix.cols, 3);
    assert.deepEqual(Array.from(matrix.data), [1, 2.5, -3, Math.fround(0.4), 5, 6]);
  });

  it('reads whitespace without a header', () => {
    const matrix = parseLogitsCsv('1 2\t3\r\n  4   5 6\r\n', 'a.txt');
    assert.deepEqual([matrix.rows, matrix.cols], [2, 3]);
    assert.deepEqual(Array.from(matrix.data), [1, 2, 3, 4, 5, 6]);
  });

  it('reads nan and inf for the finiteness check', () => {
    const matrix = parseLogitsCsv('1,2,3\n4,-inf,nan\n', 'a.csv');
    assert.ok(Number.isNaN(matrix.data[5]));
    assert.equal(matrix.data[4], -Infinity);
    assert.throws(
      () => checkLogitsMatrix(matrix, expected, 'a.csv'),
      hasMessage(/an infinite value .* at row 1, column 1 \(counting from 0\)/),
    );
  });

  it('rejects a ragged row', () => {
    assert.throws(
      () => parseLogitsCsv('a,b,c\n1,2,3\n4,5\n', 'r.csv'),
      hasMessage(/r\.csv: row 1 \(line 3\) has 2 values but row 0 has 3/),
    );
  });

  it('rejects a non-numeric cell after the first line', () => {
    assert.throws(
      () => parseLogitsCsv('1,2,3\n4,five,6\n', 'w.csv'),
      hasMessage(/w\.csv: row 1, column 1 \(line 2\) is "five", not a number/),
    );
  });

  it('rejects an empty cell', () => {
    assert.throws(() => parseLogitsCsv('1,2,\n', 'e.csv'), hasMessage(/row 0, column 2 \(line 1\) is empty/));
  });
});

describe('parseLogitsJson', () => {
  it('reads an array of rows', () => {
    const contents = parseLogitsJson('[[1, 2, 3], [4, 5, 6]]', 'a.json');
    assert.deepEqual(Array.from(matrixOf(contents).data), [1, 2, 3, 4, 5, 6]);
  });

  it('reads train and test keys', () => {
    const contents = parseLogitsJson('{"train": [[1, 2]], "test": [[3, 4], [5, 6]]}', 's.json');
    assert.equal(contents.kind, 'splits');
    if (contents.kind !== 'splits') return;
    assert.deepEqual(Array.from(contents.train?.data ?? []), [1, 2]);
    assert.equal(contents.test?.rows, 2);
  });

  it('rejects a ragged row', () => {
    assert.throws(
      () => parseLogitsJson('[[1, 2, 3], [4, 5]]', 'r.json'),
      hasMessage(/r\.json: row 1 of the file has 2 values but row 0 has 3/),
    );
  });

  it('rejects a null cell', () => {
    assert.throws(
      () => parseLogitsJson('{"train": [[1, null]]}', 'n.json'),
      hasMessage(/row 0, column 1 of "train" is null, not a number/),
    );
  });

  it('rejects unknown keys', () => {
    assert.throws(
      () => parseLogitsJson('{"train": [[1]], "val": [[2]]}', 'k.json'),
      hasMessage(/k\.json has keys \[train, val\]/),
    );
  });

  it('rejects invalid JSON', () => {
    assert.throws(() => parseLogitsJson('[[1, NaN]]', 'bad.json'), hasMessage(/bad\.json is not valid JSON/));
  });
});

describe('readLogitsInput', () => {
  const dir = mkdtempSync(join(tmpdir(), 'akd-logits-files-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('chooses the format by extension', async () => {
    writeFileSync(join(dir, 'a.tsv'), '1\t2\n3\t4\n');
    const matrix = matrixOf(await readLogitsInput(join(dir, 'a.tsv')));
    assert.deepEqual(Array.from(matrix.data), [1, 2, 3, 4]);
  });

  it('rejects an unknown extension', () => {
    assert.throws(() => logitsFileFormat('x.bin'), hasMessage(/Unsupported logits file x\.bin: use \.npy/));
  });

  it('names a missing file', async () => {
    await assert.rejects(
      readLogitsInput(join(dir, 'none.npy')),
      hasMessage(/Cannot read logits file .*none\.npy/),
    );
  });
});

describe('checkLogitsMatrix', () => {
  const matrix = (data: number[], rows: number, cols: number): LogitsMatrix => ({
    rows,
    cols,
    data: Float32Array.from(data),
  });

  it('accepts a finite matrix of the right shape', () => {
    checkLogitsMatrix(matrix([1, 2, 3, 4, 5, 6], 2, 3), expected, 'ok');
  });

  it('names both row counts', () => {
    assert.throws(
      () => checkLogitsMatrix(matrix([1, 2, 3], 1, 3), expected, 'few.npy'),
      hasMessage(/few\.npy: the train logits have 1 rows but the train split of tiny has 2 examples/),
    );
  });

  it('names both class counts', () => {
    assert.throws(
      () => checkLogitsMatrix(matrix([1, 2, 3, 4], 2, 2), expected, 'narrow.npy'),
      hasMessage(/narrow\.npy: the train logits have 2 columns but tiny has 3 classes/),
    );
  });

  it('names the row and column of NaN', () => {
    assert.throws(
      () => checkLogitsMatrix(matrix([1, 2, 3, 4, 5, NaN], 2, 3), expected, 'nan.npy'),
      hasMessage(/nan\.npy: the train logits contain NaN at row 1, column 2/),
    );
  });
});

describe('gatherLogitsRows', () => {
  const data = Float32Array.from([0, 1, 10, 11, 20, 21, 30, 31]);

  it('gathers rows in index order', () => {
    assert.deepEqual(
      Array.from(gatherLogitsRows(data, 2, Int32Array.from([3, 0, 3]))),
      [30, 31, 0, 1, 30, 31],
    );
  });

  it('rejects an index past the end', () => {
    assert.throws(
      () => gatherLogitsRows(data, 2, Int32Array.from([1, 4])),
      hasMessage(/Index 4 at position 1 is outside the 4 rows/),
    );
  });
});

describe('averageLogits', () => {
  it('averages element-wise', () => {
    const mean = averageLogits([
      Float32Array.from([1, 2, 3]),
      Float32Array.from([3, 0, -3]),
      Float32Array.from([2, 1, 0]),
    ]);
    assert.deepEqual(Array.from(mean), [2, 1, 0]);
  });

  it('rejects different lengths', () => {
    assert.throws(
      () => averageLogits([Float32Array.from([1, 2]), Float32Array.from([1])]),
      hasMessage(/Logits 1 have 1 values but logits 0 have 2/),
    );
  });
});
