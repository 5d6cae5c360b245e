import { Module } from '@nestjs/common';
import { LatencyProfilesRepository } from './latency-profiles.repository.js';
import { LatencyProfilesResolver } from './latency-profiles.resolver.js';
import { LatencyProfilesService } from './latency-profiles.service.js';

@Module({ providers: [LatencyProfilesRepository, LatencyProfilesService, LatencyProfilesResolver] })
export class LatencyProfilesModule {}
