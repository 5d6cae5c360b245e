import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { AkdError } from '@akd/core';
import { fromEnumKey, type PrismaClient } from '@akd/db';
import { GENOME_JSON, METADATA_JSON, withTensorDescriptions, type TrainedModelMetadata } from '@akd/runner';
import type { ApiConfig } from '../config.js';
import { checkId } from '../common/ids.js';
import { modelFileEntries } from '../files/model-files.js';
import { resolveInside } from '../files/paths.js';
import { jsonBuffer, type ZipEntry } from '../files/zip.js';
import { API_CONFIG, PRISMA } from '../tokens.js';
import { TrainedModelsRepository, type TrainedModelWithCandidate } from './trained-models.repository.js';

@Injectable()
export class TrainedModelsService {
  constructor(
    @Inject(TrainedModelsRepository) private readonly models: TrainedModelsRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
  ) {}

  find(id: string): Promise<TrainedModelWithCandidate | null> {
    return this.models.findById(checkId(id, 'model'));
  }

  /**
   * Returns the zip entries of a completed model: model.json, its weight shards, genome.json (the
   * architecture) and metadata.json, the last two as the final-model job wrote them, or built from
   * the row for a folder without them. Throws INVALID_INPUT for an id that is not a UUID (so no id
   * can name a path), NOT_FOUND for unknown or unfinished models, and FORBIDDEN when the stored
   * folder lies outside the artifact directory.
   */
  async downloadEntries(id: string): Promise<ZipEntry[]> {
    const row = await this.find(id);
    if (!row)
      throw new AkdError(
        'NOT_FOUND',
        `Model ${id} does not exist. The trainedModels field of an experiment lists its models.`,
      );
    if (row.status !== 'completed' || row.artifactDir === null) {
      throw new AkdError('NOT_FOUND', `Model ${id} has no files to download yet (status ${row.status}).`);
    }
    const dir = await resolveInside(this.config.artifactDir, row.artifactDir, `model ${id}`);
    const files = await modelFileEntries(dir, `model ${id}`);
    // The final-model job writes both files next to the model, the same files `akd export` copies.
    const written = await writtenDescriptionEntries(dir);
    if (written) return [...files, ...(await this.withTensorDescriptions(written))];
    const metadata = {
      id: row.id,
      candidateId: row.candidateId,
      experimentId: row.experimentId,
      teacherId: row.teacherId,
      method: fromEnumKey(row.method),
      epochs: row.epochs,
      settings: row.settings,
      testTop1: row.testTop1,
      testTop5: row.testTop5,
      latencyMs: row.latencyMs,
      params: row.params,
      flops: row.flops,
      createdAt: row.createdAt.toISOString(),
    };
    return [
      ...files,
      { name: 'genome.json', data: jsonBuffer(row.candidate?.genome ?? null) },
      { name: 'metadata.json', data: jsonBuffer(metadata) },
    ];
  }

  /**
   * Replaces the metadata.json entry by one with `input` and `output` when the stored file, written
   * by an older version, lacks them, as `akd export` does. Other entries pass unchanged.
   */
  private async withTensorDescriptions(entries: ZipEntry[]): Promise<ZipEntry[]> {
    return Promise.all(
      entries.map(async (entry) => {
        if (entry.name !== METADATA_JSON || !('path' in entry)) return entry;
        const stored = JSON.parse(await readFile(entry.path, 'utf8')) as TrainedModelMetadata;
        const completed = await withTensorDescriptions(this.prisma, stored);
        return completed === stored ? entry : { name: entry.name, data: jsonBuffer(completed) };
      }),
    );
  }
}

/**
 * Returns `genome.json` and `metadata.json` of `dir` as zip entries when both exist, or null for
 * a model folder recorded without them.
 */
async function writtenDescriptionEntries(dir: string): Promise<ZipEntry[] | null> {
  const entries: ZipEntry[] = [];
  for (const name of [GENOME_JSON, METADATA_JSON]) {
    const path = join(dir, name);
    if (!(await stat(path).catch(() => null))?.isFile()) return null;
    entries.push({ name, path });
  }
  return entries;
}
