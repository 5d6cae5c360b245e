import { Module } from '@nestjs/common';
import { ChangeFeedRepository } from './change-feed.repository.js';
import { ChangeFeedService } from './change-feed.service.js';
import { SubscriptionsResolver } from './subscriptions.resolver.js';

@Module({
  providers: [ChangeFeedRepository, ChangeFeedService, SubscriptionsResolver],
  exports: [ChangeFeedService],
})
export class SubscriptionsModule {}
