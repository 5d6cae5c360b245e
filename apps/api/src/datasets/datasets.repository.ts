import { Inject, Injectable } from '@nestjs/common';
import type { DatasetLocation, ImageDataset } from '@akd/data';
import type { Dataset, PrismaClient } from '@akd/db';
import { registerDataset } from '@akd/runner';
import { PRISMA } from '../tokens.js';

@Injectable()
export class DatasetsRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  list(): Promise<Dataset[]> {
    return this.prisma.dataset.findMany({ orderBy: { name: 'asc' } });
  }

  findById(id: string): Promise<Dataset | null> {
    return this.prisma.dataset.findUnique({ where: { id } });
  }

  findByIds(ids: readonly string[]): Promise<Dataset[]> {
    return this.prisma.dataset.findMany({ where: { id: { in: [...ids] } } });
  }

  findByName(name: string): Promise<Dataset | null> {
    return this.prisma.dataset.findUnique({ where: { name } });
  }

  findByFingerprint(fingerprint: string): Promise<Dataset | null> {
    return this.prisma.dataset.findUnique({ where: { fingerprint } });
  }

  /** Records a loaded dataset with `registerDataset` of `@akd/runner`; an already registered fingerprint keeps its row. */
  register(location: DatasetLocation, dataset: ImageDataset): Promise<Dataset> {
    return registerDataset(this.prisma, location, dataset);
  }
}
