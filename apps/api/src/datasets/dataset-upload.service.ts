import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AkdError, Logger } from '@akd/core';
import {
  datasetFingerprint,
  loadCifar10,
  loadIdxDataset,
  MNIST_FILE_NAMES,
  readImageFolderZip,
  writeIdxDataset,
  type DatasetLocation,
  type IdxFileNames,
  type ImageDataset,
} from '@akd/data';
import type { Dataset } from '@akd/db';
import type { ApiConfig } from '../config.js';
import { isUniqueViolation, readStaged } from '../files/loader-errors.js';
import { receiveMultipart, type ReceivedForm } from '../files/multipart.js';
import { StagingDir } from '../files/staging.js';
import { API_CONFIG } from '../tokens.js';
import { DatasetsRepository } from './datasets.repository.js';

/** Outcome of an upload: the dataset row, and whether this upload created it. */
export interface DatasetUploadResult {
  dataset: Dataset;
  created: boolean;
}

const IDX_FIELDS = Object.keys(MNIST_FILE_NAMES) as (keyof IdxFileNames)[];
const IDX_NAMES = new Set(Object.values(MNIST_FILE_NAMES).flatMap((name) => [name, `${name}.gz`]));
const CIFAR_BATCH = /^(data_batch_\d+|test_batch)\.bin$/;
const ARCHIVE = /\.(tar\.gz|tgz|tar)$/i;
const ZIP = /\.zip$/i;
const FORMATS = ['idx', 'cifar-10', 'image-folder'] as const;
const DATASET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Saved name of an uploaded dataset file, or null for a file that belongs to no supported format. */
function datasetFileName(field: string, fileName: string): string | null {
  if ((IDX_FIELDS as string[]).includes(field)) return MNIST_FILE_NAMES[field as keyof IdxFileNames];
  const name = basename(fileName);
  if (IDX_NAMES.has(name) || CIFAR_BATCH.test(name) || ARCHIVE.test(name) || ZIP.test(name)) return name;
  return null;
}

/** Parses the optional `testFraction` field of an image-folder upload. */
function parseTestFraction(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  if (!(value > 0 && value < 1)) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid testFraction "${text}": use a number between 0 and 1, such as 0.2.`,
    );
  }
  return value;
}

function parseClassNames(text: string | undefined): string[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text.split(',').map((name) => name.trim());
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length === 0 ||
    !parsed.every((name) => typeof name === 'string' && name !== '')
  ) {
    throw new AkdError(
      'INVALID_INPUT',
      'Invalid classNames: send a JSON array of non-empty strings or a comma-separated list.',
    );
  }
  return parsed as string[];
}

/**
 * Registers uploaded datasets. Files are streamed into a staging folder under the data directory,
 * read completely with the `@akd/data` readers, and only then moved to `<data dir>/datasets/<uuid>`
 * and recorded, so a failed upload leaves neither files nor rows behind.
 */
@Injectable()
export class DatasetUploadService {
  private readonly log = new Logger('api.datasets');

  constructor(
    @Inject(DatasetsRepository) private readonly datasets: DatasetsRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async upload(request: Request): Promise<DatasetUploadResult> {
    const staging = await StagingDir.create(this.config.dataDir);
    try {
      const form = await receiveMultipart(
        request,
        staging.path,
        { maxFileBytes: this.config.uploadMaxBytes, maxFiles: 8 },
        datasetFileName,
      );
      const name = form.fields.get('name')?.trim() ?? '';
      if (!DATASET_NAME.test(name)) {
        throw new AkdError(
          'INVALID_INPUT',
          'Invalid or missing field "name": use 1-100 letters, digits, dots, dashes or underscores, starting with a letter or digit.',
        );
      }
      if (form.files.length === 0) {
        throw new AkdError(
          'INVALID_INPUT',
          'The upload contains no file: send the four IDX files, the CIFAR-10 binary batches or a zip of class folders of PNG or JPEG images.',
        );
      }
      const { dataset, format, entry, prepare } = await this.read(staging, form, name);
      const fingerprint = datasetFingerprint(dataset);
      const existing = await this.datasets.findByFingerprint(fingerprint);
      if (existing) {
        this.log.info('uploaded dataset is already registered', {
          datasetId: existing.id,
          name: existing.name,
        });
        return { dataset: existing, created: false };
      }
      if (await this.datasets.findByName(name)) {
        throw new AkdError(
          'CONFLICT',
          `A dataset named "${name}" already exists with other contents. Choose another name.`,
        );
      }
      await prepare?.();
      const target = await staging.commit(join(this.config.dataDir, 'datasets', randomUUID()));
      const location: DatasetLocation = {
        format,
        name,
        path: entry === null ? target : join(target, entry),
        reason: 'uploaded through the API',
      };
      try {
        const row = await this.datasets.register(location, dataset);
        this.log.info('dataset uploaded', {
          datasetId: row.id,
          name,
          train: row.trainCount,
          test: row.testCount,
        });
        return { dataset: row, created: true };
      } catch (error) {
        await rm(target, { recursive: true, force: true });
        if (isUniqueViolation(error)) {
          throw new AkdError(
            'CONFLICT',
            `A dataset named "${name}" or with the same contents was registered meanwhile.`,
          );
        }
        throw error;
      }
    } finally {
      await staging.discard();
    }
  }

  /**
   * Reads the staged files as a CIFAR-10, IDX or image-folder dataset, choosing by the `format`
   * field or by the file names. `prepare`, when present, turns the staged files into the stored
   * format; it runs only once the dataset is known to be new.
   */
  private async read(staging: StagingDir, form: ReceivedForm, name: string): Promise<ReadDataset> {
    const requested = form.fields.get('format')?.trim();
    if (requested !== undefined && !(FORMATS as readonly string[]).includes(requested)) {
      throw new AkdError('INVALID_INPUT', `Unknown format "${requested}": use ${FORMATS.join(', ')}.`);
    }
    const zips = form.files.filter((file) => ZIP.test(file.name));
    const cifarFiles = form.files.filter((file) => CIFAR_BATCH.test(file.name) || ARCHIVE.test(file.name));
    let format = requested ?? 'idx';
    if (requested === undefined && zips.length > 0) format = 'image-folder';
    else if (requested === undefined && cifarFiles.length > 0) format = 'cifar-10';
    if (format === 'image-folder') return this.readImageFolder(staging, form, name);
    if (zips.length > 0) {
      throw new AkdError(
        'INVALID_INPUT',
        `A zip archive is an image-folder upload, but format is "${format}". Leave format out or set it to image-folder.`,
      );
    }
    if (format === 'cifar-10') {
      if (cifarFiles.length !== form.files.length) {
        throw new AkdError(
          'INVALID_INPUT',
          'A CIFAR-10 upload takes one archive or the data_batch_<n>.bin and test_batch.bin files only.',
        );
      }
      const archives = form.files.filter((file) => ARCHIVE.test(file.name));
      if (archives.length > 1 || (archives.length === 1 && form.files.length > 1)) {
        throw new AkdError('INVALID_INPUT', 'Send either one CIFAR-10 archive or the batch files, not both.');
      }
      const entry = archives[0]?.name ?? null;
      const dataset = await readStaged(staging, () =>
        loadCifar10(entry === null ? staging.path : join(staging.path, entry)),
      );
      return { dataset: { ...dataset, name }, format: 'cifar-10', entry };
    }
    const classNames = parseClassNames(form.fields.get('classNames'));
    const dataset = await readStaged(staging, () => loadIdxDataset(staging.path, { name, classNames }));
    return { dataset, format: 'idx', entry: null };
  }

  /**
   * Reads a zip of class folders of PNG and JPEG images. `prepare` writes the dataset as IDX files
   * in place of the zip, so workers read it as any IDX dataset. The class names come from the folder
   * names and are recorded on the dataset row.
   */
  private async readImageFolder(staging: StagingDir, form: ReceivedForm, name: string): Promise<ReadDataset> {
    const [zip, ...others] = form.files;
    if (zip === undefined || others.length > 0 || !ZIP.test(zip.name)) {
      throw new AkdError(
        'INVALID_INPUT',
        `An image-folder upload takes exactly one .zip file, got ${form.files.map((file) => file.name).join(', ')}.`,
      );
    }
    if (form.fields.has('classNames')) {
      throw new AkdError(
        'INVALID_INPUT',
        'classNames applies to IDX uploads only: an image-folder zip takes its class names from its folder names.',
      );
    }
    const testFraction = parseTestFraction(form.fields.get('testFraction'));
    const { dataset, layout } = await readStaged(staging, () =>
      readImageFolderZip(zip.path, zip.name, { name, testFraction }),
    );
    this.log.info('read image-folder upload', {
      name,
      layout,
      classes: dataset.numClasses,
      train: dataset.train.count,
      test: dataset.test.count,
    });
    return {
      dataset,
      format: 'idx',
      entry: null,
      prepare: async () => {
        await rm(zip.path);
        await writeIdxDataset(staging.path, dataset);
      },
    };
  }
}

/** A dataset read from the staged files, with the loader format and entry to record. */
interface ReadDataset {
  dataset: ImageDataset;
  format: DatasetLocation['format'];
  /** File under the dataset folder to load, or null to load the folder. */
  entry: string | null;
  prepare?: () => Promise<void>;
}
