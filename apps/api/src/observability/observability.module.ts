import { Module } from '@nestjs/common';
import { HttpMetricsService } from './metrics.service.js';
import { ObservabilityController } from './observability.controller.js';
import { ObservabilityRepository } from './observability.repository.js';
import { ObservabilityService } from './observability.service.js';

@Module({
  controllers: [ObservabilityController],
  providers: [HttpMetricsService, ObservabilityRepository, ObservabilityService],
  exports: [HttpMetricsService],
})
export class ObservabilityModule {}
