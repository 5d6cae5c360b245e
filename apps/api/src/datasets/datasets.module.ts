import { Module } from '@nestjs/common';
import { DatasetUploadService } from './dataset-upload.service.js';
import { DatasetsController } from './datasets.controller.js';
import { DatasetsRepository } from './datasets.repository.js';
import { DatasetsResolver } from './datasets.resolver.js';
import { DatasetsService } from './datasets.service.js';

@Module({
  controllers: [DatasetsController],
  providers: [DatasetsRepository, DatasetsService, DatasetsResolver, DatasetUploadService],
  exports: [DatasetsService, DatasetsRepository],
})
export class DatasetsModule {}
