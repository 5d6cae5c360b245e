/**
 * Streaming reader for ustar archives (POSIX.1-1988 with the pax `path`/`size` records and GNU
 * long names), gzipped or not. It parses 512-byte blocks as chunks arrive, so chunk boundaries
 * may fall anywhere, and it keeps in memory only the bodies of the entries the caller selects.
 */
import { open } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

import { AkdError } from '@akd/core';

import { isGzip } from './compression.js';

const BLOCK_BYTES = 512;

/** Header of one archive entry, after pax and GNU long-name records are applied. */
export interface TarEntryHeader {
  /** Path inside the archive, with `/` separators, as stored (never absolute and never with `..`). */
  path: string;
  /** Size of the entry body in bytes. */
  sizeBytes: number;
  /** Kind of entry: regular file, directory, or anything else (links, devices, FIFOs). */
  kind: 'file' | 'directory' | 'other';
}

/** Selected regular file read from an archive. */
export interface TarFile {
  /** Path inside the archive. */
  path: string;
  /** Complete file contents. */
  data: Buffer;
}

/** Options of {@link readTarEntries} and {@link readTarArchive}. */
export interface ReadTarOptions {
  /** Name of the archive in error messages, usually its file path. */
  source: string;
  /** Returns true for each regular file whose contents should be returned. */
  select: (header: TarEntryHeader) => boolean;
}

/**
 * Reads a tar archive file, gzipped or not (gzip is detected from its first bytes), and returns
 * the selected regular files in archive order. Throws INVALID_FILE when the archive is corrupt or
 * truncated, or when any entry path is absolute or contains a `..` segment.
 */
export async function readTarArchive(
  path: string,
  options: Omit<ReadTarOptions, 'source'>,
): Promise<TarFile[]> {
  const handle = await open(path, 'r');
  const signature = Buffer.alloc(2);
  try {
    await handle.read(signature, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const fileStream = createReadStream(path);
  const stream: Readable = isGzip(signature) ? fileStream.pipe(createGunzip()) : fileStream;
  // pipe() does not forward read errors, so forward them to the stream that is consumed.
  if (stream !== fileStream) fileStream.on('error', (error) => stream.destroy(error));

  try {
    return await readTarEntries(stream, { ...options, source: path });
  } catch (error) {
    if (error instanceof AkdError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AkdError(
      'INVALID_FILE',
      `${path} could not be read as a tar archive (${reason}). The file is probably truncated or corrupted: ` +
        'download it again.',
      { file: path, reason },
      { cause: error },
    );
  } finally {
    fileStream.destroy();
  }
}

/**
 * Parses a tar stream given as chunks of any size and returns the selected regular files in
 * archive order. Throws INVALID_FILE naming `options.source` on a bad checksum, a truncated
 * archive, or an entry path that is absolute or contains a `..` segment.
 */
export async function readTarEntries(
  chunks: AsyncIterable<Uint8Array>,
  options: ReadTarOptions,
): Promise<TarFile[]> {
  const parser = new TarParser(options);
  for await (const chunk of chunks) {
    parser.push(chunk);
    if (parser.ended) break;
  }
  parser.finish();
  return parser.files;
}

interface PendingOverrides {
  path?: string;
  sizeBytes?: number;
}

type BodyPurpose = 'keep' | 'skip' | 'pax' | 'longName';

/** Incremental parser: `push` accepts chunks split anywhere, `finish` checks the archive ended cleanly. */
class TarParser {
  readonly files: TarFile[] = [];
  ended = false;

  private readonly header = Buffer.alloc(BLOCK_BYTES);
  private headerFill = 0;
  private zeroBlocks = 0;
  private blockIndex = 0;

  private state: 'header' | 'body' | 'padding' = 'header';
  private bodyPurpose: BodyPurpose = 'skip';
  private bodyPath = '';
  private body: Buffer | undefined;
  private bodyFill = 0;
  private bodyRemaining = 0;
  private paddingRemaining = 0;
  private overrides: PendingOverrides = {};

  constructor(private readonly options: ReadTarOptions) {}

  push(chunk: Uint8Array): void {
    let position = 0;
    while (position < chunk.length && !this.ended) {
      const available = chunk.length - position;
      if (this.state === 'header') {
        const count = Math.min(BLOCK_BYTES - this.headerFill, available);
        this.header.set(chunk.subarray(position, position + count), this.headerFill);
        this.headerFill += count;
        position += count;
        if (this.headerFill === BLOCK_BYTES) {
          this.headerFill = 0;
          this.handleHeaderBlock();
        }
      } else if (this.state === 'body') {
        const count = Math.min(this.bodyRemaining, available);
        if (this.body) this.body.set(chunk.subarray(position, position + count), this.bodyFill);
        this.bodyFill += count;
        this.bodyRemaining -= count;
        position += count;
        if (this.bodyRemaining === 0) this.finishBody();
      } else {
        const count = Math.min(this.paddingRemaining, available);
        this.paddingRemaining -= count;
        position += count;
        if (this.paddingRemaining === 0) this.state = 'header';
      }
    }
  }

  finish(): void {
    // Some writers end with a single zero block or none, so end-of-stream on a block boundary is accepted.
    if (this.ended || (this.state === 'header' && this.headerFill === 0)) return;
    const where = this.state === 'header' ? 'inside a header block' : `inside the body of ${this.bodyPath}`;
    throw new AkdError(
      'INVALID_FILE',
      `${this.options.source} is truncated: the archive ends ${where}. Download it again.`,
      { file: this.options.source, entry: this.bodyPath || undefined },
    );
  }

  private handleHeaderBlock(): void {
    const block = this.header;
    const blockIndex = this.blockIndex++;
    if (block.every((byte) => byte === 0)) {
      this.zeroBlocks++;
      if (this.zeroBlocks === 2) this.ended = true;
      return;
    }
    this.zeroBlocks = 0;
    this.checkChecksum(block, blockIndex);

    const typeFlag = String.fromCharCode(block[156]);
    // Only POSIX ustar ("ustar\0") has the prefix field. Old GNU headers ("ustar ") store times there.
    const isPosixUstar = block.toString('latin1', 257, 263) === 'ustar\0';
    const name = readString(block, 0, 100);
    const prefix = isPosixUstar ? readString(block, 345, 155) : '';
    const path = this.overrides.path ?? (prefix ? `${prefix}/${name}` : name);
    const sizeBytes = this.overrides.sizeBytes ?? readNumber(block, 124, 12);
    if (sizeBytes === undefined) {
      throw new AkdError(
        'INVALID_FILE',
        `${this.options.source} has an invalid size field in the header of ${path} (block ${blockIndex}). ` +
          'The archive is corrupted: download it again.',
        { file: this.options.source, entry: path, block: blockIndex },
      );
    }

    let purpose: BodyPurpose;
    if (typeFlag === 'x') {
      purpose = 'pax';
    } else if (typeFlag === 'L') {
      purpose = 'longName';
    } else if (typeFlag === 'g') {
      // A global pax header sets defaults for later entries. Its fields are ignored because the
      // archives read here (CIFAR-10) do not use them.
      purpose = 'skip';
    } else {
      this.overrides = {};
      this.checkPath(path);
      const kind = entryKind(typeFlag);
      purpose = kind === 'file' && this.options.select({ path, sizeBytes, kind }) ? 'keep' : 'skip';
    }
    this.startBody(path, sizeBytes, purpose);
  }

  private startBody(path: string, sizeBytes: number, purpose: BodyPurpose): void {
    this.bodyPath = path;
    this.bodyPurpose = purpose;
    this.body = purpose === 'skip' ? undefined : Buffer.alloc(sizeBytes);
    this.bodyFill = 0;
    this.bodyRemaining = sizeBytes;
    this.paddingRemaining = (BLOCK_BYTES - (sizeBytes % BLOCK_BYTES)) % BLOCK_BYTES;
    if (sizeBytes === 0) this.finishBody();
    else this.state = 'body';
  }

  private finishBody(): void {
    const body = this.body;
    this.body = undefined;
    if (body && this.bodyPurpose === 'keep') this.files.push({ path: this.bodyPath, data: body });
    if (body && this.bodyPurpose === 'pax') this.overrides = parsePaxRecords(body);
    if (body && this.bodyPurpose === 'longName') this.overrides = { path: readString(body, 0, body.length) };
    this.state = this.paddingRemaining > 0 ? 'padding' : 'header';
  }

  private checkChecksum(block: Buffer, blockIndex: number): void {
    const stored = readNumber(block, 148, 8);
    let sum = 0;
    for (let i = 0; i < BLOCK_BYTES; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i];
    if (stored !== sum) {
      throw new AkdError(
        'INVALID_FILE',
        `${this.options.source} is not a valid tar archive: the header checksum of block ${blockIndex} is ` +
          `${stored ?? 'unreadable'}, expected ${sum}. Download the archive again.`,
        { file: this.options.source, block: blockIndex, storedChecksum: stored, computedChecksum: sum },
      );
    }
  }

  private checkPath(path: string): void {
    const segments = path.split(/[/\\]/);
    const absolute = path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path);
    if (absolute || segments.includes('..')) {
      const problem = absolute ? 'is absolute' : 'contains a ".." segment';
      throw new AkdError(
        'INVALID_FILE',
        `${this.options.source} contains the entry "${path}", whose path ${problem}. The archive was rejected ` +
          'because extracting such an entry could write outside the target folder. Use an archive whose paths ' +
          'are all relative, such as the official cifar-10-binary.tar.gz.',
        { file: this.options.source, entry: path },
      );
    }
  }
}

function entryKind(typeFlag: string): TarEntryHeader['kind'] {
  if (typeFlag === '0' || typeFlag === '\0' || typeFlag === '7') return 'file';
  if (typeFlag === '5') return 'directory';
  return 'other';
}

/** Reads a NUL-terminated (or field-filling) UTF-8 string. */
function readString(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.toString('utf8', 0, end === -1 ? field.length : end);
}

/**
 * Reads a numeric header field: octal ASCII padded with spaces or NULs, or GNU base-256 when the
 * high bit of the first byte is set. Returns undefined when the field is not a number.
 */
function readNumber(block: Buffer, offset: number, length: number): number | undefined {
  const field = block.subarray(offset, offset + length);
  if (field[0] & 0x80) {
    let value = field[0] & 0x7f;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i];
    return value;
  }
  const text = field
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .replace(/^ +/, '');
  if (!/^[0-7]*$/.test(text)) return undefined;
  return text === '' ? 0 : parseInt(text, 8);
}

/** Parses pax extended-header records (`"<length> <key>=<value>\n"`) and keeps `path` and `size`. */
function parsePaxRecords(body: Buffer): PendingOverrides {
  const overrides: PendingOverrides = {};
  let position = 0;
  while (position < body.length) {
    const space = body.indexOf(0x20, position);
    if (space === -1) break;
    const recordLength = parseInt(body.toString('latin1', position, space), 10);
    if (!Number.isInteger(recordLength) || recordLength <= 0) break;
    const record = body.toString('utf8', space + 1, position + recordLength - 1);
    const equals = record.indexOf('=');
    const key = record.slice(0, equals);
    const value = record.slice(equals + 1);
    if (key === 'path') overrides.path = value;
    if (key === 'size' && /^\d+$/.test(value)) overrides.sizeBytes = Number(value);
    position += recordLength;
  }
  return overrides;
}
