/**
 * Reader for zip archives (PKWARE APPNOTE 6.3) that reads entries on demand from the file,
 * through the central directory, so an archive is never extracted to disk. It handles the
 * stored and deflate methods. It rejects ZIP64 archives, encryption and archives split over
 * several disks.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';

import { AkdError } from '@akd/core';

import { crc32 } from './compression.js';

/** One entry of the central directory. */
export interface ZipEntry {
  /** Path inside the archive as stored, decoded as UTF-8 when flagged so, else as Latin-1. */
  name: string;
  /** Regular file, directory, or symbolic link (from the Unix mode of archives made on Unix). */
  kind: 'file' | 'directory' | 'symlink';
  /** 0 stored, 8 deflate; other methods fail in {@link ZipArchive.read}. */
  method: number;
  compressedBytes: number;
  uncompressedBytes: number;
  crc32: number;
  /** General purpose bit flags; bit 0 marks an encrypted entry. */
  flags: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
/** End of central directory record without its comment. */
const EOCD_BYTES = 22;
/** The comment after the end record is at most 65,535 bytes. */
const MAX_EOCD_SEARCH = EOCD_BYTES + 0xffff;
const UNIX_HOST = 3;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
/** MS-DOS directory attribute, in the low byte of the external attributes. */
const DOS_DIRECTORY = 0x10;

/** A zip file opened for reading. Call {@link ZipArchive.close} when done. */
export class ZipArchive {
  private constructor(
    private readonly handle: FileHandle,
    private readonly source: string,
    private readonly fileBytes: number,
    readonly entries: readonly ZipEntry[],
  ) {}

  /**
   * Opens `path` and reads its central directory. `source` names the archive in error messages.
   * Throws INVALID_FILE when the file is not a zip archive, is truncated, is a ZIP64 archive or
   * spans several disks.
   */
  static async open(path: string, source: string): Promise<ZipArchive> {
    const handle = await open(path, 'r');
    try {
      const fileBytes = (await handle.stat()).size;
      const entries = await readCentralDirectory(handle, fileBytes, source);
      return new ZipArchive(handle, source, fileBytes, entries);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /**
   * Returns the uncompressed contents of a file entry after checking its size and CRC-32. Throws
   * INVALID_FILE for an encrypted entry, an unsupported method, or data that is truncated,
   * corrupted or larger than declared.
   */
  async read(entry: ZipEntry): Promise<Buffer> {
    const fail = (reason: string): AkdError =>
      new AkdError('INVALID_FILE', `${entry.name} in ${this.source} cannot be read: ${reason}.`, {
        archive: this.source,
        entry: entry.name,
      });
    if ((entry.flags & 1) !== 0) throw fail('it is encrypted; create the archive without a password');
    if (entry.method !== 0 && entry.method !== 8) {
      throw fail(`it uses compression method ${entry.method}; only stored (0) and deflate (8) are supported`);
    }

    const local = await readExactly(this.handle, entry.localHeaderOffset, 30);
    if (local === null || local.readUInt32LE(0) !== LOCAL_SIGNATURE) {
      throw fail('its local header is missing, so the archive is truncated or corrupted');
    }
    const dataStart = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    if (dataStart + entry.compressedBytes > this.fileBytes) throw fail('the archive is truncated');
    const compressed = await readExactly(this.handle, dataStart, entry.compressedBytes);
    if (compressed === null) throw fail('the archive is truncated');

    let data: Buffer;
    if (entry.method === 0) data = compressed;
    else {
      try {
        // One byte more than declared makes an entry that inflates beyond its size fail here.
        data = inflateRawSync(compressed, { maxOutputLength: entry.uncompressedBytes + 1 });
      } catch (error) {
        throw fail(
          `its data does not inflate (${(error as Error).message}), so it is truncated or corrupted`,
        );
      }
    }
    if (data.length !== entry.uncompressedBytes) {
      throw fail(
        `it contains ${data.length} bytes but the central directory declares ${entry.uncompressedBytes}`,
      );
    }
    if (crc32(data) !== entry.crc32) throw fail('its CRC-32 does not match, so it is corrupted');
    return data;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** Reads `length` bytes at `position`, or returns null when the file ends first. */
async function readExactly(handle: FileHandle, position: number, length: number): Promise<Buffer | null> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) return null;
    filled += bytesRead;
  }
  return buffer;
}

async function readCentralDirectory(
  handle: FileHandle,
  fileBytes: number,
  source: string,
): Promise<ZipEntry[]> {
  const fail = (reason: string): AkdError =>
    new AkdError('INVALID_FILE', `${source} is not a readable zip archive: ${reason}.`, { archive: source });

  const tailBytes = Math.min(fileBytes, MAX_EOCD_SEARCH);
  const tail = (await readExactly(handle, fileBytes - tailBytes, tailBytes)) ?? Buffer.alloc(0);
  let eocd = -1;
  for (let i = tail.length - EOCD_BYTES; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0)
    throw fail('it has no end of central directory record, so it is not a zip file or it is truncated');

  if (eocd >= 20 && tail.readUInt32LE(eocd - 20) === ZIP64_LOCATOR_SIGNATURE) {
    throw fail(
      'it is a ZIP64 archive, which is not supported; create it without ZIP64 (for example with `zip -r`)',
    );
  }
  const disk = tail.readUInt16LE(eocd + 4);
  const directoryDisk = tail.readUInt16LE(eocd + 6);
  const count = tail.readUInt16LE(eocd + 10);
  const directoryBytes = tail.readUInt32LE(eocd + 12);
  const directoryOffset = tail.readUInt32LE(eocd + 16);
  if (disk !== 0 || directoryDisk !== 0 || tail.readUInt16LE(eocd + 8) !== count) {
    throw fail('it spans several disks; join it into one archive');
  }
  if (directoryOffset + directoryBytes > fileBytes)
    throw fail('its central directory lies beyond the end of the file');

  const directory = await readExactly(handle, directoryOffset, directoryBytes);
  if (directory === null) throw fail('the central directory is truncated');
  const entries: ZipEntry[] = [];
  let offset = 0;
  for (let index = 0; index < count; index++) {
    if (offset + 46 > directory.length || directory.readUInt32LE(offset) !== CENTRAL_SIGNATURE) {
      throw fail(`central directory entry ${index + 1} of ${count} is missing or corrupted`);
    }
    const nameBytes = directory.readUInt16LE(offset + 28);
    const extraBytes = directory.readUInt16LE(offset + 30);
    const commentBytes = directory.readUInt16LE(offset + 32);
    if (offset + 46 + nameBytes > directory.length) throw fail('the central directory is truncated');
    entries.push(parseEntry(directory, offset, nameBytes));
    offset += 46 + nameBytes + extraBytes + commentBytes;
  }
  return entries;
}

function parseEntry(directory: Buffer, offset: number, nameBytes: number): ZipEntry {
  const host = directory.readUInt8(offset + 5);
  const flags = directory.readUInt16LE(offset + 8);
  const externalAttributes = directory.readUInt32LE(offset + 38);
  // Bit 11 marks a UTF-8 name. Without it the name is in code page 437, whose ASCII range Latin-1 shares.
  const name = directory.toString(flags & 0x800 ? 'utf8' : 'latin1', offset + 46, offset + 46 + nameBytes);
  const mode = host === UNIX_HOST ? externalAttributes >>> 16 : 0;
  let kind: ZipEntry['kind'] = 'file';
  if ((mode & S_IFMT) === S_IFLNK) kind = 'symlink';
  else if (name.endsWith('/') || (mode & S_IFMT) === S_IFDIR || (externalAttributes & DOS_DIRECTORY) !== 0) {
    kind = 'directory';
  }
  return {
    name,
    kind,
    method: directory.readUInt16LE(offset + 10),
    compressedBytes: directory.readUInt32LE(offset + 20),
    uncompressedBytes: directory.readUInt32LE(offset + 24),
    crc32: directory.readUInt32LE(offset + 16),
    flags,
    localHeaderOffset: directory.readUInt32LE(offset + 42),
  };
}
