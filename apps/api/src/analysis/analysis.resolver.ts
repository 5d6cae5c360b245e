import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { DeclareArgTypes } from '../common/arg-types.js';
import { listComplexity } from '../common/complexity.js';
import { ExperimentsService } from '../experiments/experiments.service.js';
import {
  ExperimentStructureArgs,
  ProxyFidelityArgs,
  TeacherAdviceArgs,
  TeacherLeaderboardsArgs,
} from './dto/analysis.args.js';
import { ArchitectureStructureModel } from './models/structure.model.js';
import { ProxyFidelityModel } from './models/proxy-fidelity.model.js';
import { TeacherAdviceModel, TeacherLeaderboardModel } from './models/teacher-comparison.model.js';
import { ProxyFidelityService } from './proxy-fidelity.service.js';
import { StructureService } from './structure.service.js';
import { TeacherComparisonService } from './teacher-comparison.service.js';

@Resolver()
@DeclareArgTypes()
export class AnalysisResolver {
  constructor(
    @Inject(StructureService) private readonly structureService: StructureService,
    @Inject(ProxyFidelityService) private readonly fidelity: ProxyFidelityService,
    @Inject(TeacherComparisonService) private readonly teacherComparison: TeacherComparisonService,
    @Inject(ExperimentsService) private readonly experiments: ExperimentsService,
  ) {}

  @Query(() => ArchitectureStructureModel, {
    description:
      'Where the searches of the experiments went: a 2-D PCA of every candidate architecture, the block choices ' +
      'per generation, and latency against FLOPs with its fitted line.',
    complexity: listComplexity(5),
  })
  experimentStructure(
    @Args({ type: () => ExperimentStructureArgs }) args: ExperimentStructureArgs,
  ): Promise<ArchitectureStructureModel> {
    return this.structureService.structure(args.experimentIds);
  }

  @Query(() => ProxyFidelityModel, {
    description:
      'Spearman correlation between proxy accuracy and final test accuracy over the candidates of an experiment ' +
      'that were trained in full. NOT_FOUND for an unknown experiment.',
  })
  async proxyFidelity(
    @Args({ type: () => ProxyFidelityArgs }) args: ProxyFidelityArgs,
  ): Promise<ProxyFidelityModel> {
    return this.fidelity.measure(await this.experiments.get(args.experimentId), args.method);
  }

  @Query(() => [TeacherAdviceModel], {
    description:
      'Teachers of a dataset, and GT for the hard-label searches, ranked by the proxy accuracy of the best ' +
      'completed candidate found so far at or below the latency target; teachers without one come last. Proxy ' +
      'accuracies of searches with different proxy settings are compared as they are.',
    complexity: listComplexity(5),
  })
  teacherAdvice(
    @Args({ type: () => TeacherAdviceArgs }) args: TeacherAdviceArgs,
  ): Promise<TeacherAdviceModel[]> {
    return this.teacherComparison.advise(args);
  }

  @Query(() => [TeacherLeaderboardModel], {
    description:
      'For each teacher of a dataset, then GT for the hard-label searches, the best students per latency bucket.',
    complexity: listComplexity(5),
  })
  teacherLeaderboards(
    @Args({ type: () => TeacherLeaderboardsArgs }) args: TeacherLeaderboardsArgs,
  ): Promise<TeacherLeaderboardModel[]> {
    return this.teacherComparison.leaderboards(args);
  }
}
