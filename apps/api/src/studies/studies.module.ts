import { Module } from '@nestjs/common';
import { DatasetsModule } from '../datasets/datasets.module.js';
import { StudiesRepository } from './studies.repository.js';
import { StudiesResolver } from './studies.resolver.js';
import { StudiesService } from './studies.service.js';

@Module({
  imports: [DatasetsModule],
  providers: [StudiesRepository, StudiesService, StudiesResolver],
})
export class StudiesModule {}
