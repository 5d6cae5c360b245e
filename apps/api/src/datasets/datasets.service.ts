import { Inject, Injectable } from '@nestjs/common';
import { AkdError } from '@akd/core';
import type { Dataset } from '@akd/db';
import { checkId } from '../common/ids.js';
import { DatasetsRepository } from './datasets.repository.js';

@Injectable()
export class DatasetsService {
  constructor(@Inject(DatasetsRepository) private readonly datasets: DatasetsRepository) {}

  list(): Promise<Dataset[]> {
    return this.datasets.list();
  }

  /** Returns the dataset or null when no dataset has this id. */
  find(id: string): Promise<Dataset | null> {
    return this.datasets.findById(checkId(id, 'dataset'));
  }

  /** Returns the dataset, or throws NOT_FOUND. */
  async get(id: string): Promise<Dataset> {
    const row = await this.find(id);
    if (!row)
      throw new AkdError('NOT_FOUND', `Dataset ${id} does not exist. The datasets query lists the datasets.`);
    return row;
  }
}
