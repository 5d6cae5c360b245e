import { Module } from '@nestjs/common';
import { DatasetsModule } from '../datasets/datasets.module.js';
import { TeachersModule } from '../teachers/teachers.module.js';
import { ExperimentsRepository } from './experiments.repository.js';
import { ExperimentsResolver } from './experiments.resolver.js';
import { ExperimentsService } from './experiments.service.js';

@Module({
  imports: [DatasetsModule, TeachersModule],
  providers: [ExperimentsRepository, ExperimentsService, ExperimentsResolver],
  exports: [ExperimentsService],
})
export class ExperimentsModule {}
