import { Inject } from '@nestjs/common';
import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { DeclareArgTypes } from '../common/arg-types.js';
import { DatasetsService } from './datasets.service.js';
import { DatasetModel, toDatasetModel } from './models/dataset.model.js';

@Resolver(() => DatasetModel)
@DeclareArgTypes()
export class DatasetsResolver {
  constructor(@Inject(DatasetsService) private readonly datasetService: DatasetsService) {}

  @Query(() => [DatasetModel], { description: 'All registered datasets, by name.' })
  async datasets(): Promise<DatasetModel[]> {
    return (await this.datasetService.list()).map(toDatasetModel);
  }

  @Query(() => DatasetModel, { nullable: true, description: 'One dataset, or null when the id is unknown.' })
  async dataset(@Args('id', { type: () => ID }) id: string): Promise<DatasetModel | null> {
    const row = await this.datasetService.find(id);
    return row && toDatasetModel(row);
  }
}
