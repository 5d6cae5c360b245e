import { Inject } from '@nestjs/common';
import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { DeclareArgTypes } from '../common/arg-types.js';
import { listComplexity } from '../common/complexity.js';
import { DistillationMethodValue } from '../common/enums.js';
import { ExperimentsService } from '../experiments/experiments.service.js';
import { ExperimentModel } from '../experiments/models/experiment.model.js';
import { ArchitectureStructureModel } from './models/structure.model.js';
import { ProxyFidelityModel } from './models/proxy-fidelity.model.js';
import { ProxyFidelityService } from './proxy-fidelity.service.js';
import { StructureService } from './structure.service.js';

/** Analysis fields of Experiment, for the dashboard page of one experiment. */
@Resolver(() => ExperimentModel)
@DeclareArgTypes()
export class ExperimentAnalysisResolver {
  constructor(
    @Inject(StructureService) private readonly structureService: StructureService,
    @Inject(ProxyFidelityService) private readonly fidelity: ProxyFidelityService,
    @Inject(ExperimentsService) private readonly experiments: ExperimentsService,
  ) {}

  @ResolveField(() => ArchitectureStructureModel, {
    description: 'The experimentStructure of this experiment alone.',
    complexity: listComplexity(5),
  })
  structure(@Parent() experiment: ExperimentModel): Promise<ArchitectureStructureModel> {
    return this.structureService.structure([experiment.id]);
  }

  @ResolveField(() => ProxyFidelityModel, { description: 'The proxyFidelity of this experiment.' })
  async proxyFidelity(
    @Parent() experiment: ExperimentModel,
    @Args('method', {
      type: () => DistillationMethodValue,
      nullable: true,
      description:
        'Method of the final models; by default HINTON for a distillation search, HARD_LABEL otherwise.',
    })
    method?: DistillationMethodValue | null,
  ): Promise<ProxyFidelityModel> {
    return this.fidelity.measure(await this.experiments.get(experiment.id), method);
  }
}
