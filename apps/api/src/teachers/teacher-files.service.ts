import { randomUUID } from 'node:crypto';
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AkdError, Logger } from '@akd/core';
import { loadDatasetAt, type Split } from '@akd/data';
import { fromEnumKey, type Dataset, type Teacher } from '@akd/db';
import { datasetLocation } from '@akd/runner';
import { decodeNpy, indexFingerprint, type NpyMatrix } from '@akd/teachers';
import type { ApiConfig } from '../config.js';
import { checkId } from '../common/ids.js';
import { isUniqueViolation, readStaged } from '../files/loader-errors.js';
import { modelFileEntries } from '../files/model-files.js';
import { receiveMultipart } from '../files/multipart.js';
import { resolveInside } from '../files/paths.js';
import { StagingDir } from '../files/staging.js';
import { jsonBuffer, type ZipEntry } from '../files/zip.js';
import { API_CONFIG } from '../tokens.js';
import { DatasetsService } from '../datasets/datasets.service.js';
import { TeachersRepository } from './teachers.repository.js';

const LOGITS_FIELDS: Record<string, string> = { train: 'train.npy', test: 'test.npy' };
const TEACHER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Top-1 and top-5 accuracy of logits (`rows × classes`, row-major) against the labels of `split`. */
function accuracyOf(logits: NpyMatrix, split: Split): { top1: number; top5: number } {
  let top1 = 0;
  let top5 = 0;
  for (let row = 0; row < logits.rows; row++) {
    const scores = logits.data.subarray(row * logits.cols, (row + 1) * logits.cols);
    const label = split.labels[row];
    const higher = scores.reduce((count, score) => (score > scores[label] ? count + 1 : count), 0);
    if (higher === 0) top1++;
    if (higher < 5) top5++;
  }
  return { top1: top1 / logits.rows, top5: top5 / logits.rows };
}

/** Imports teachers from uploaded logits and serves teacher files as zip downloads. */
@Injectable()
export class TeacherFilesService {
  private readonly log = new Logger('api.teachers');

  constructor(
    @Inject(TeachersRepository) private readonly teachers: TeachersRepository,
    @Inject(DatasetsService) private readonly datasets: DatasetsService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /**
   * Imports a teacher from its outputs. The multipart upload has the fields `datasetId`, `name`
   * and optional `family`. Its file field `train` is the `.npy` logits of the whole training split,
   * shape [train images, classes], and the optional `test` those of the test split, which also
   * give the test accuracy. Every file is decoded and checked against the dataset before the files
   * move under the artifact directory and the teacher and its cached logits are recorded.
   */
  async importLogits(request: Request): Promise<Teacher> {
    const staging = await StagingDir.create(this.config.dataDir);
    try {
      const form = await receiveMultipart(
        request,
        staging.path,
        { maxFileBytes: this.config.uploadMaxBytes, maxFiles: 2 },
        (field) => LOGITS_FIELDS[field] ?? null,
      );
      const datasetId = form.fields.get('datasetId')?.trim() ?? '';
      const name = form.fields.get('name')?.trim() ?? '';
      const family = form.fields.get('family')?.trim() || 'imported';
      if (!TEACHER_NAME.test(name)) {
        throw new AkdError(
          'INVALID_INPUT',
          'Invalid or missing field "name": use 1-100 letters, digits, dots, dashes or underscores, starting with a letter or digit.',
        );
      }
      const dataset = await this.datasets.get(checkId(datasetId, 'dataset'));
      const train = form.files.find((file) => file.field === 'train');
      const test = form.files.find((file) => file.field === 'test');
      if (!train)
        throw new AkdError(
          'INVALID_INPUT',
          'Missing file field "train": send the .npy logits of the training split.',
        );
      const trainLogits = await this.readLogits(
        staging,
        train.path,
        'train.npy',
        dataset,
        dataset.trainCount,
      );
      const testLogits = test
        ? await this.readLogits(staging, test.path, 'test.npy', dataset, dataset.testCount)
        : null;
      if (await this.teachers.findByName(dataset.id, name)) {
        throw new AkdError(
          'CONFLICT',
          `Teacher "${name}" already exists on dataset ${dataset.name}. Choose another name.`,
        );
      }
      const accuracy = testLogits ? await this.testAccuracy(dataset, testLogits) : null;
      const checksums: Record<string, string> = {};
      for (const file of form.files) {
        checksums[file.name] = createHash('sha256')
          .update(await readFile(file.path))
          .digest('hex');
      }

      const target = await staging.commit(
        join(this.config.artifactDir, 'teachers', dataset.id, `imported-${randomUUID()}`),
      );
      const allIndices = (count: number): Int32Array =>
        Int32Array.from({ length: count }, (_, index) => index);
      const logitsRows = [
        {
          split: 'train',
          path: join(target, 'train.npy'),
          count: trainLogits.rows,
          classes: trainLogits.cols,
        },
        ...(testLogits
          ? [
              {
                split: 'test',
                path: join(target, 'test.npy'),
                count: testLogits.rows,
                classes: testLogits.cols,
              },
            ]
          : []),
      ].map((row) => ({ ...row, indexFingerprint: indexFingerprint(allIndices(row.count)) }));
      try {
        const row = await this.teachers.createWithLogits(
          {
            datasetId: dataset.id,
            name,
            source: 'imported_logits',
            family,
            config: { files: Object.keys(checksums) },
            trainingSettings: {},
            status: 'ready',
            testAccuracy: accuracy?.top1 ?? null,
            testTop5: accuracy?.top5 ?? null,
            artifactDir: target,
            checksums,
          },
          logitsRows,
        );
        this.log.info('teacher imported from logits', { teacherId: row.id, name, datasetId: dataset.id });
        return row;
      } catch (error) {
        await rm(target, { recursive: true, force: true });
        if (isUniqueViolation(error)) {
          throw new AkdError(
            'CONFLICT',
            `Teacher "${name}" was created on dataset ${dataset.name} meanwhile.`,
          );
        }
        throw error;
      }
    } finally {
      await staging.discard();
    }
  }

  /** Decodes a logits file and checks its shape against the dataset split and that every value is finite. */
  private async readLogits(
    staging: StagingDir,
    path: string,
    label: string,
    dataset: Dataset,
    rows: number,
  ): Promise<NpyMatrix> {
    const matrix = await readStaged(staging, async () => decodeNpy(await readFile(path), label));
    if (matrix.rows !== rows || matrix.cols !== dataset.numClasses) {
      throw new AkdError(
        'INVALID_FILE',
        `${label} has shape (${matrix.rows}, ${matrix.cols}), but dataset ${dataset.name} needs (${rows}, ${dataset.numClasses}): one row of class scores per image of the split.`,
      );
    }
    const bad = matrix.data.findIndex((value) => !Number.isFinite(value));
    if (bad >= 0) {
      throw new AkdError(
        'INVALID_FILE',
        `${label} has the non-finite value ${matrix.data[bad]} at row ${Math.floor(bad / matrix.cols)}.`,
      );
    }
    return matrix;
  }

  private async testAccuracy(
    dataset: Dataset,
    logits: NpyMatrix,
  ): Promise<{ top1: number; top5: number } | null> {
    try {
      const loaded = await loadDatasetAt(datasetLocation(dataset));
      return accuracyOf(logits, loaded.test);
    } catch (error) {
      this.log.warn('could not load the dataset to score imported test logits', {
        datasetId: dataset.id,
        error,
      });
      return null;
    }
  }

  /**
   * Returns the zip entries of a teacher: model.json and its weight shards when the teacher has a
   * model, its `.npy` logits when it was imported from logits, and metadata.json. Throws NOT_FOUND
   * for unknown teachers and teachers without files.
   */
  async downloadEntries(id: string): Promise<ZipEntry[]> {
    const row = await this.teachers.findById(checkId(id, 'teacher'));
    if (!row)
      throw new AkdError('NOT_FOUND', `Teacher ${id} does not exist. The teachers query lists the teachers.`);
    if (row.artifactDir === null) {
      throw new AkdError(
        'NOT_FOUND',
        `Teacher ${id} has no files to download (source ${fromEnumKey(row.source)}, status ${row.status}).`,
      );
    }
    const dir = await resolveInside(this.config.artifactDir, row.artifactDir, `teacher ${id}`);
    const names = await readdir(dir);
    const entries: ZipEntry[] = names.includes('model.json')
      ? await modelFileEntries(dir, `teacher ${id}`)
      : [];
    for (const name of names.filter((file) => file.endsWith('.npy')).sort())
      entries.push({ name, path: join(dir, name) });
    if (entries.length === 0)
      throw new AkdError('NOT_FOUND', `The files of teacher ${id} are missing on the server.`);
    const metadata = {
      id: row.id,
      datasetId: row.datasetId,
      name: row.name,
      source: fromEnumKey(row.source),
      family: row.family,
      config: row.config,
      trainingSettings: row.trainingSettings,
      testAccuracy: row.testAccuracy,
      testTop5: row.testTop5,
      params: row.params,
      flops: row.flops,
      checksums: row.checksums,
      createdAt: row.createdAt.toISOString(),
    };
    return [...entries, { name: 'metadata.json', data: jsonBuffer(metadata) }];
  }
}
