import { Inject } from '@nestjs/common';
import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { DeclareArgTypes } from '../common/arg-types.js';
import { toTrainedModelModel, TrainedModelModel } from './models/trained-model.model.js';
import { TrainedModelsService } from './trained-models.service.js';

@Resolver(() => TrainedModelModel)
@DeclareArgTypes()
export class TrainedModelsResolver {
  constructor(@Inject(TrainedModelsService) private readonly models: TrainedModelsService) {}

  @Query(() => TrainedModelModel, {
    nullable: true,
    description: 'One trained model, or null when the id is unknown.',
  })
  async trainedModel(@Args('id', { type: () => ID }) id: string): Promise<TrainedModelModel | null> {
    const row = await this.models.find(id);
    return row && toTrainedModelModel(row);
  }
}
