import type { Response } from 'express';
import yazl from 'yazl';

/** One entry of a zip archive: a file on disk or bytes in memory. */
export type ZipEntry = { name: string; path: string } | { name: string; data: Buffer };

/**
 * Streams a zip of `entries` as the response, as the attachment `fileName`. Every file must exist
 * before this is called, because a read error after the first bytes can only cut the connection.
 */
export function sendZip(response: Response, fileName: string, entries: readonly ZipEntry[]): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    if ('path' in entry) zip.addFile(entry.path, entry.name);
    else zip.addBuffer(entry.data, entry.name);
  }
  zip.end();
  response.status(200);
  response.setHeader('Content-Type', 'application/zip');
  response.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  return new Promise((resolve, reject) => {
    zip.outputStream.on('error', reject);
    response.on('error', reject);
    response.on('finish', () => resolve());
    response.on('close', () => resolve());
    zip.outputStream.pipe(response);
  });
}

/** Serialises `value` as indented JSON, writing bigints as decimal strings. */
export function jsonBuffer(value: unknown): Buffer {
  return Buffer.from(
    JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item), 2) +
      '\n',
  );
}
