import { Inject } from '@nestjs/common';
import { Args, ID, Resolver, Subscription } from '@nestjs/graphql';
import type { SearchSpace } from '@akd/search-space';
import { DeclareArgTypes } from '../common/arg-types.js';
import { checkId } from '../common/ids.js';
import { CandidateModel, toCandidateModel } from '../experiments/models/candidate.model.js';
import { ExperimentModel, toExperimentModel } from '../experiments/models/experiment.model.js';
import { ChangeFeedService } from './change-feed.service.js';

const passThrough = (payload: unknown): unknown => payload;

@Resolver()
@DeclareArgTypes()
export class SubscriptionsResolver {
  constructor(@Inject(ChangeFeedService) private readonly feed: ChangeFeedService) {}

  @Subscription(() => ExperimentModel, {
    description:
      'The experiment now, then again after every change (status, progress, error). Changes are read from the ' +
      'database every AKD_API_POLL_MS (1 s by default). The stream ends when the experiment is deleted.',
    resolve: passThrough,
  })
  experimentUpdated(
    @Args('id', { type: () => ID }) id: string,
  ): Promise<AsyncIterableIterator<ExperimentModel>> {
    return this.feed.watchExperiment(checkId(id, 'experiment'), toExperimentModel);
  }

  @Subscription(() => CandidateModel, {
    description:
      'Each candidate of the experiment that completes or fails after the subscription starts, read from the ' +
      'database every AKD_API_POLL_MS.',
    resolve: passThrough,
  })
  candidateFinished(
    @Args('experimentId', { type: () => ID }) experimentId: string,
  ): Promise<AsyncIterableIterator<CandidateModel>> {
    return this.feed.watchCandidates(checkId(experimentId, 'experiment'), (row, experiment) =>
      toCandidateModel(row, experiment.searchSpace as unknown as SearchSpace),
    );
  }
}
