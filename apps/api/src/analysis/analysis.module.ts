import { Module } from '@nestjs/common';
import { DatasetsModule } from '../datasets/datasets.module.js';
import { ExperimentsModule } from '../experiments/experiments.module.js';
import { AnalysisRepository } from './analysis.repository.js';
import { AnalysisResolver } from './analysis.resolver.js';
import { ExperimentAnalysisResolver } from './experiment-analysis.resolver.js';
import { ProxyFidelityService } from './proxy-fidelity.service.js';
import { StructureService } from './structure.service.js';
import { TeacherComparisonService } from './teacher-comparison.service.js';

/** Analyses computed from the stored candidates and final models, without study rows. */
@Module({
  imports: [DatasetsModule, ExperimentsModule],
  providers: [
    AnalysisRepository,
    StructureService,
    ProxyFidelityService,
    TeacherComparisonService,
    AnalysisResolver,
    ExperimentAnalysisResolver,
  ],
})
export class AnalysisModule {}
