import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import type { SearchSpace } from '@akd/search-space';
import { DeclareArgTypes } from '../common/arg-types.js';
import { pageComplexity } from '../common/complexity.js';
import { toCandidateModel } from '../experiments/models/candidate.model.js';
import { LeaderboardArgs } from './dto/leaderboard.args.js';
import { LeaderboardService } from './leaderboard.service.js';
import { LeaderboardEntryModel } from './models/leaderboard-entry.model.js';

@Resolver(() => LeaderboardEntryModel)
@DeclareArgTypes()
export class LeaderboardResolver {
  constructor(@Inject(LeaderboardService) private readonly leaderboardService: LeaderboardService) {}

  @Query(() => [LeaderboardEntryModel], {
    description:
      'Completed candidates of all experiments on a dataset, optionally of one teacher and under a latency limit, ' +
      'ranked by proxy accuracy and then by lower latency.',
    complexity: pageComplexity(),
  })
  async leaderboard(
    @Args({ type: () => LeaderboardArgs }) args: LeaderboardArgs,
  ): Promise<LeaderboardEntryModel[]> {
    const rows = await this.leaderboardService.rank(args);
    return rows.map((row, index) => ({
      rank: index + 1,
      experimentId: row.experiment.id,
      experimentName: row.experiment.name,
      teacherId: row.experiment.teacherId,
      accuracy: row.proxyAccuracy ?? 0,
      latencyMs: row.latencyMs ?? 0,
      candidate: toCandidateModel(row, row.experiment.searchSpace as SearchSpace),
    }));
  }
}
