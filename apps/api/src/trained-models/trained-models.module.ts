import { Module } from '@nestjs/common';
import { TrainedModelsController } from './trained-models.controller.js';
import { TrainedModelsRepository } from './trained-models.repository.js';
import { TrainedModelsResolver } from './trained-models.resolver.js';
import { TrainedModelsService } from './trained-models.service.js';

@Module({
  controllers: [TrainedModelsController],
  providers: [TrainedModelsRepository, TrainedModelsService, TrainedModelsResolver],
})
export class TrainedModelsModule {}
