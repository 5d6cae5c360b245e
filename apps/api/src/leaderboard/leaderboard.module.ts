import { Module } from '@nestjs/common';
import { DatasetsModule } from '../datasets/datasets.module.js';
import { LeaderboardRepository } from './leaderboard.repository.js';
import { LeaderboardResolver } from './leaderboard.resolver.js';
import { LeaderboardService } from './leaderboard.service.js';

@Module({
  imports: [DatasetsModule],
  providers: [LeaderboardRepository, LeaderboardService, LeaderboardResolver],
})
export class LeaderboardModule {}
