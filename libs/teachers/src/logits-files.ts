import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { AkdError } from '@akd/core';
import { decodeNpy, type NpyMatrix } from './npy.js';

/** A row-major `[rows, cols]` logits matrix: one row per example, one column per class. */
export type LogitsMatrix = NpyMatrix;

/** File formats that {@link readLogitsInput} reads, chosen by file extension. */
export type LogitsFileFormat = 'npy' | 'csv' | 'json';

const EXTENSIONS: Record<string, LogitsFileFormat> = {
  '.npy': 'npy',
  '.csv': 'csv',
  '.tsv': 'csv',
  '.txt': 'csv',
  '.json': 'json',
};

/**
 * Contents of a logits file: a single matrix, or the per-split matrices of a JSON object
 * `{ "train": [[…]], "test": [[…]] }` (either key may be absent).
 */
export type LogitsFileContents =
  { kind: 'matrix'; matrix: LogitsMatrix } | { kind: 'splits'; train?: LogitsMatrix; test?: LogitsMatrix };

/** Returns the format of a logits file from its extension, or throws listing the supported ones. */
export function logitsFileFormat(path: string): LogitsFileFormat {
  const format = EXTENSIONS[extname(path).toLowerCase()];
  if (!format) {
    throw new AkdError(
      'INVALID_INPUT',
      `Unsupported logits file ${path}: use .npy (float32 or float64), .csv/.tsv/.txt (numbers separated by commas or whitespace) or .json.`,
      { path },
    );
  }
  return format;
}

/** Reads and parses the logits file at `path` in the format its extension names. */
export async function readLogitsInput(path: string): Promise<LogitsFileContents> {
  const format = logitsFileFormat(path);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new AkdError(
      'NOT_FOUND',
      `Cannot read logits file ${path}: ${(error as Error).message}.`,
      { path },
      { cause: error },
    );
  }
  return parseLogitsFile(bytes, format, path);
}

/**
 * Parses a logits file. `.npy` must be 2-D float32 or float64 in C order (either byte order). CSV
 * has one row per line, values separated by commas (on lines that contain one) or else by
 * whitespace, and an optional header line that contains at least one non-empty, non-numeric cell. JSON is an
 * array of rows or a `{ train, test }` object of them. `source` names the file in errors.
 */
export function parseLogitsFile(
  bytes: Uint8Array,
  format: LogitsFileFormat,
  source: string,
): LogitsFileContents {
  switch (format) {
    case 'npy':
      return { kind: 'matrix', matrix: decodeNpy(bytes, source) };
    case 'csv':
      return { kind: 'matrix', matrix: parseLogitsCsv(Buffer.from(bytes).toString('utf8'), source) };
    case 'json':
      return parseLogitsJson(Buffer.from(bytes).toString('utf8'), source);
  }
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NAN = /^[+-]?nan$/i;
const INFINITY = /^[+-]?inf(inity)?$/i;

/**
 * Parses one CSV cell. NumPy's `savetxt` spellings of NaN and infinity are read as those values
 * so that the finiteness check reports them by row and column. Returns null for anything else.
 */
function parseCell(cell: string): number | null {
  if (DECIMAL.test(cell)) return Number(cell);
  if (NAN.test(cell)) return NaN;
  if (INFINITY.test(cell)) return cell.startsWith('-') ? -Infinity : Infinity;
  return null;
}

function raggedRowError(source: string, row: number, length: number, expected: number, where = ''): AkdError {
  return new AkdError(
    'INVALID_FILE',
    `${source}: row ${row}${where} has ${length} values but row 0 has ${expected}. Every row needs one value per class.`,
    { source, row, length, expected },
  );
}

/** Parses CSV or whitespace-separated text; rows and columns in errors count from 0, the header excluded. */
export function parseLogitsCsv(text: string, source: string): LogitsMatrix {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const split = (line: string): string[] =>
    line.includes(',') ? line.split(',').map((cell) => cell.trim()) : line.trim().split(/\s+/);

  const values: number[] = [];
  let cols = -1;
  let rows = 0;
  let headerSeen = false;
  for (let lineIndex = 0; lineIndex < lines.length; lineIndex++) {
    if (lines[lineIndex].trim().length === 0) continue;
    const cells = split(lines[lineIndex]);
    const parsed = cells.map(parseCell);
    // Only the first non-empty line may be a header, and a header has at least one non-empty
    // cell that is not a number, so a first data row with a missing value is not skipped.
    const isHeader = parsed.some((value, col) => value === null && cells[col] !== '');
    if (!headerSeen && rows === 0 && isHeader) {
      headerSeen = true;
      continue;
    }
    const where = ` (line ${lineIndex + 1})`;
    if (cols < 0) cols = cells.length;
    if (cells.length !== cols) throw raggedRowError(source, rows, cells.length, cols, where);
    for (let col = 0; col < cells.length; col++) {
      const value = parsed[col];
      if (value === null) {
        throw new AkdError(
          'INVALID_FILE',
          `${source}: row ${rows}, column ${col}${where} is ${cells[col] === '' ? 'empty' : `"${cells[col]}"`}, not a number.`,
          { source, row: rows, column: col, line: lineIndex + 1 },
        );
      }
      values.push(value);
    }
    rows++;
  }
  return { rows, cols: Math.max(cols, 0), data: Float32Array.from(values) };
}

/** Converts a JSON array of rows into a matrix, rejecting ragged rows and non-number cells. */
function jsonRowsToMatrix(value: unknown, source: string, label: string): LogitsMatrix {
  if (!Array.isArray(value)) {
    throw new AkdError('INVALID_FILE', `${source}: ${label} must be an array of rows (arrays of numbers).`, {
      source,
    });
  }
  const rows = value.length;
  const cols = rows > 0 && Array.isArray(value[0]) ? (value[0] as unknown[]).length : 0;
  const data = new Float32Array(rows * cols);
  for (let row = 0; row < rows; row++) {
    const cells: unknown = value[row];
    if (!Array.isArray(cells)) {
      throw new AkdError('INVALID_FILE', `${source}: row ${row} of ${label} is not an array of numbers.`, {
        source,
        row,
      });
    }
    if (cells.length !== cols) throw raggedRowError(source, row, cells.length, cols, ` of ${label}`);
    for (let col = 0; col < cols; col++) {
      const cell: unknown = cells[col];
      if (typeof cell !== 'number') {
        throw new AkdError(
          'INVALID_FILE',
          `${source}: row ${row}, column ${col} of ${label} is ${JSON.stringify(cell)}, not a number.`,
          { source, row, column: col },
        );
      }
      data[row * cols + col] = cell;
    }
  }
  return { rows, cols, data };
}

/** Parses a JSON array of rows, or an object whose only keys are `train` and `test`. */
export function parseLogitsJson(text: string, source: string): LogitsFileContents {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AkdError(
      'INVALID_FILE',
      `${source} is not valid JSON: ${(error as Error).message}. NaN and Infinity are not JSON values.`,
      { source },
      { cause: error },
    );
  }
  if (Array.isArray(value)) return { kind: 'matrix', matrix: jsonRowsToMatrix(value, source, 'the file') };
  if (value === null || typeof value !== 'object') {
    throw new AkdError(
      'INVALID_FILE',
      `${source} must contain an array of rows or an object { "train": [[…]], "test": [[…]] }.`,
      { source },
    );
  }
  const object = value as Record<string, unknown>;
  const unknownKeys = Object.keys(object).filter((key) => key !== 'train' && key !== 'test');
  if (unknownKeys.length > 0 || Object.keys(object).length === 0) {
    throw new AkdError(
      'INVALID_FILE',
      `${source} has keys [${Object.keys(object).join(', ')}]; a logits object has "train" and optionally "test".`,
      { source, keys: Object.keys(object) },
    );
  }
  return {
    kind: 'splits',
    train: 'train' in object ? jsonRowsToMatrix(object.train, source, '"train"') : undefined,
    test: 'test' in object ? jsonRowsToMatrix(object.test, source, '"test"') : undefined,
  };
}

/** Expected size of a logits matrix: the split's example count and the dataset's class count. */
export interface LogitsExpectation {
  /** Split name for messages, e.g. train or test. */
  split: string;
  rows: number;
  classes: number;
  /** Dataset name for messages. */
  dataset: string;
}

/**
 * Throws INVALID_FILE unless `matrix` has the expected rows and columns and only finite values.
 * A NaN or infinite value is named by row and column (both from 0). Float64 values beyond the
 * float32 range (about ±3.4e38) became infinite when the file was read and are rejected too.
 */
export function checkLogitsMatrix(matrix: LogitsMatrix, expected: LogitsExpectation, source: string): void {
  const { split, dataset } = expected;
  if (matrix.rows !== expected.rows) {
    throw new AkdError(
      'INVALID_FILE',
      `${source}: the ${split} logits have ${matrix.rows} rows but the ${split} split of ${dataset} has ${expected.rows} examples. Give one row per example, in dataset order.`,
      { source, split, rows: matrix.rows, expectedRows: expected.rows },
    );
  }
  if (matrix.cols !== expected.classes) {
    throw new AkdError(
      'INVALID_FILE',
      `${source}: the ${split} logits have ${matrix.cols} columns but ${dataset} has ${expected.classes} classes. Give one column per class.`,
      { source, split, cols: matrix.cols, classes: expected.classes },
    );
  }
  for (let i = 0; i < matrix.data.length; i++) {
    const value = matrix.data[i];
    if (!Number.isFinite(value)) {
      const row = Math.floor(i / matrix.cols);
      const column = i % matrix.cols;
      const kind = Number.isNaN(value) ? 'NaN' : 'an infinite value (or one beyond the float32 range)';
      throw new AkdError(
        'INVALID_FILE',
        `${source}: the ${split} logits contain ${kind} at row ${row}, column ${column} (counting from 0).`,
        { source, split, row, column },
      );
    }
  }
}

/**
 * Gathers rows `indices` of a row-major `[rows, classes]` logits matrix into a new
 * `[indices.length, classes]` matrix, so a subset of a split reads its rows from a full-split file.
 */
export function gatherLogitsRows(data: Float32Array, classes: number, indices: Int32Array): Float32Array {
  const rows = classes > 0 ? data.length / classes : 0;
  const out = new Float32Array(indices.length * classes);
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i];
    if (!Number.isInteger(index) || index < 0 || index >= rows) {
      throw new AkdError(
        'INVALID_INPUT',
        `Index ${index} at position ${i} is outside the ${rows} rows of the logits matrix.`,
        { index, position: i, rows },
      );
    }
    out.set(data.subarray(index * classes, (index + 1) * classes), i * classes);
  }
  return out;
}

/** Returns the element-wise mean of equally sized logits matrices, accumulated in float64. */
export function averageLogits(members: readonly Float32Array[]): Float32Array {
  if (members.length === 0) {
    throw new AkdError('INVALID_INPUT', 'Cannot average the logits of zero teachers.');
  }
  const length = members[0].length;
  const sums = new Float64Array(length);
  for (const [position, member] of members.entries()) {
    if (member.length !== length) {
      throw new AkdError(
        'INVALID_INPUT',
        `Logits ${position} have ${member.length} values but logits 0 have ${length}; members must cover the same examples and classes.`,
        { position, length: member.length, expected: length },
      );
    }
    for (let i = 0; i < length; i++) sums[i] += member[i];
  }
  const mean = new Float32Array(length);
  for (let i = 0; i < length; i++) mean[i] = sums[i] / members.length;
  return mean;
}
