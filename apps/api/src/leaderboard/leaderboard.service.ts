import { Inject, Injectable } from '@nestjs/common';
import { checkId } from '../common/ids.js';
import { checkPageSize } from '../common/pagination.js';
import { DatasetsService } from '../datasets/datasets.service.js';
import { LeaderboardArgs } from './dto/leaderboard.args.js';
import { LeaderboardRepository, type RankedCandidate } from './leaderboard.repository.js';

@Injectable()
export class LeaderboardService {
  constructor(
    @Inject(LeaderboardRepository) private readonly leaderboard: LeaderboardRepository,
    @Inject(DatasetsService) private readonly datasets: DatasetsService,
  ) {}

  /** Ranks the completed candidates of every experiment on the dataset. Throws NOT_FOUND for an unknown dataset. */
  async rank(args: LeaderboardArgs): Promise<RankedCandidate[]> {
    checkPageSize(args.first);
    const rows = await this.leaderboard.rank(
      {
        datasetId: checkId(args.datasetId, 'dataset'),
        teacherId: args.teacherId ? checkId(args.teacherId, 'teacher') : null,
        maxLatencyMs: args.maxLatencyMs ?? null,
      },
      args.first,
    );
    // Ranked rows belong to experiments of the dataset, so it exists. Only an empty ranking needs
    // the lookup that distinguishes an unknown dataset (NOT_FOUND) from one without completed candidates.
    if (rows.length === 0) await this.datasets.get(args.datasetId);
    return rows;
  }
}
