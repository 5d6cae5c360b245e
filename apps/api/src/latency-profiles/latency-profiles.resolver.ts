import { Inject } from '@nestjs/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Access } from '../auth/access.decorator.js';
import { DeclareArgTypes } from '../common/arg-types.js';
import { listComplexity } from '../common/complexity.js';
import { CreateLatencyProfileInput } from './dto/create-latency-profile.input.js';
import { LatencyProfilesService } from './latency-profiles.service.js';
import { LatencyProfileModel, toLatencyProfileModel } from './models/latency-profile.model.js';

@Resolver(() => LatencyProfileModel)
@DeclareArgTypes()
export class LatencyProfilesResolver {
  constructor(@Inject(LatencyProfilesService) private readonly profiles: LatencyProfilesService) {}

  @Query(() => [LatencyProfileModel], {
    description: 'All latency profiles, by name.',
    complexity: listComplexity(10),
  })
  async latencyProfiles(): Promise<LatencyProfileModel[]> {
    return (await this.profiles.list()).map(toLatencyProfileModel);
  }

  @Mutation(() => LatencyProfileModel, { description: 'Records latencies measured on a device.' })
  @Access('editor')
  async createLatencyProfile(
    @Args('input', { type: () => CreateLatencyProfileInput }) input: CreateLatencyProfileInput,
  ): Promise<LatencyProfileModel> {
    return toLatencyProfileModel(await this.profiles.create(input));
  }
}
