import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import busboy from 'busboy';
import { AkdError } from '@akd/core';
import { AkdHttpError } from '../common/errors.js';

/** An uploaded file, saved under the staging folder. */
export interface ReceivedFile {
  /** Form field the file came in. */
  field: string;
  /** File name under the staging folder. */
  name: string;
  path: string;
  bytes: number;
}

/** The text fields and files of a multipart/form-data request. */
export interface ReceivedForm {
  fields: Map<string, string>;
  files: ReceivedFile[];
}

/** Limits of {@link receiveMultipart}. */
export interface MultipartLimits {
  /** Largest size of one file, in bytes. */
  maxFileBytes: number;
  /** Largest number of files. */
  maxFiles: number;
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/**
 * Streams the files of a multipart/form-data request into `dir` (which must exist) and collects
 * its text fields. `nameFor` picks the saved name of each file from its field and file name, or
 * returns null to reject it. Throws INVALID_INPUT for a malformed request or file name, and
 * INVALID_FILE with HTTP 413 when a file exceeds `limits.maxFileBytes` or there are too many
 * files. The caller removes `dir` on failure.
 */
export function receiveMultipart(
  request: Request,
  dir: string,
  limits: MultipartLimits,
  nameFor: (field: string, fileName: string) => string | null,
): Promise<ReceivedForm> {
  const contentType = request.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(contentType)) {
    return Promise.reject(
      new AkdError(
        'INVALID_INPUT',
        `Expected a multipart/form-data upload, got Content-Type "${contentType || 'none'}".`,
      ),
    );
  }
  const declaredLength = Number(request.headers['content-length']);
  // Each file may bring up to 64 KiB of headers and fields around it.
  if (Number.isFinite(declaredLength) && declaredLength > limits.maxFiles * (limits.maxFileBytes + 65536)) {
    return Promise.reject(tooLarge(`The upload of ${declaredLength} bytes`, limits));
  }

  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: 20, fieldSize: 64 * 1024 },
      });
    } catch (error) {
      reject(new AkdError('INVALID_INPUT', `Malformed multipart upload: ${(error as Error).message}.`));
      return;
    }
    const fields = new Map<string, string>();
    const files: ReceivedFile[] = [];
    const writes: Promise<void>[] = [];
    let failure: Error | null = null;
    const fail = (error: Error): void => {
      failure ??= error;
    };

    parser.on('field', (name, value, info) => {
      if (info.valueTruncated)
        fail(new AkdError('INVALID_INPUT', `Form field ${name} is longer than 64 KiB.`));
      fields.set(name, value);
    });
    parser.on('file', (field, stream, info) => {
      const fileName = info.filename ?? '';
      const name = nameFor(field, fileName);
      if (failure || name === null || !SAFE_NAME.test(name) || files.some((file) => file.name === name)) {
        if (!failure) {
          fail(
            new AkdError(
              'INVALID_INPUT',
              name === null || !SAFE_NAME.test(name ?? '')
                ? `Unexpected file "${fileName}" in field "${field}".`
                : `The file ${name} was sent twice.`,
            ),
          );
        }
        stream.resume();
        return;
      }
      const file: ReceivedFile = { field, name, path: join(dir, name), bytes: 0 };
      files.push(file);
      stream.on('data', (chunk: Buffer) => {
        file.bytes += chunk.length;
      });
      stream.on('limit', () => fail(tooLarge(`The file ${fileName}`, limits)));
      writes.push(pipeline(stream, createWriteStream(file.path)).catch((error: Error) => fail(error)));
    });
    parser.on('filesLimit', () =>
      fail(new AkdHttpError('INVALID_FILE', `Too many files: send at most ${limits.maxFiles}.`, 413)),
    );
    parser.on('error', (error: Error) => {
      fail(new AkdError('INVALID_INPUT', `Malformed multipart upload: ${error.message}.`));
      finish();
    });
    parser.on('close', () => finish());
    request.on('close', () => {
      if (request.complete) return;
      fail(new AkdError('INVALID_INPUT', 'The upload was interrupted before it was complete.'));
      finish();
    });

    let finished = false;
    function finish(): void {
      if (finished) return;
      finished = true;
      void Promise.all(writes).then(() => {
        if (failure) reject(failure);
        else resolve({ fields, files });
      });
    }
    request.pipe(parser);
  });
}

function tooLarge(item: string, limits: MultipartLimits): AkdHttpError {
  return new AkdHttpError(
    'INVALID_FILE',
    `${item} exceeds the upload limit of ${limits.maxFileBytes} bytes per file (AKD_UPLOAD_MAX_BYTES).`,
    413,
    { maxFileBytes: limits.maxFileBytes },
  );
}
