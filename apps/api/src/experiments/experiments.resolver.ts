import { Inject } from '@nestjs/common';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Candidate, Experiment } from '@akd/db';
import type { SearchSpace } from '@akd/search-space';
import { Access } from '../auth/access.decorator.js';
import { DeclareArgTypes } from '../common/arg-types.js';
import { listComplexity, pageComplexity } from '../common/complexity.js';
import { encodeCursor, type Page } from '../common/pagination.js';
import { DatasetsService } from '../datasets/datasets.service.js';
import { DatasetModel, toDatasetModel } from '../datasets/models/dataset.model.js';
import { TeacherModel, toTeacherModel } from '../teachers/models/teacher.model.js';
import { TeachersService } from '../teachers/teachers.service.js';
import { toTrainedModelModel, TrainedModelModel } from '../trained-models/models/trained-model.model.js';
import { CreateExperimentInput } from './dto/create-experiment.input.js';
import { CandidatesArgs, ExperimentsArgs, MAX_TOP_K, TrainFinalModelsArgs } from './dto/experiments.args.js';
import { ExperimentsRepository } from './experiments.repository.js';
import { ExperimentsService } from './experiments.service.js';
import { CandidateConnection, CandidateModel, toCandidateModel } from './models/candidate.model.js';
import {
  ExperimentConnection,
  ExperimentModel,
  ExperimentProgressModel,
  toExperimentModel,
} from './models/experiment.model.js';
import { GenerationModel, toGenerationModel } from './models/generation.model.js';

function spaceOf(experiment: ExperimentModel): SearchSpace | null {
  return (experiment.searchSpace as SearchSpace | null) ?? null;
}

function toExperimentConnection(page: Page<Experiment> & { totalCount: number }): ExperimentConnection {
  const edges = page.nodes.map((row) => ({
    cursor: encodeCursor({ value: null, id: row.id }),
    node: toExperimentModel(row),
  }));
  return {
    edges,
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: page.totalCount,
  };
}

@Resolver(() => ExperimentModel)
@DeclareArgTypes()
export class ExperimentsResolver {
  constructor(
    @Inject(ExperimentsService) private readonly experimentService: ExperimentsService,
    @Inject(DatasetsService) private readonly datasets: DatasetsService,
    @Inject(TeachersService) private readonly teachers: TeachersService,
  ) {}

  @Query(() => ExperimentConnection, {
    description: 'Experiments, newest first, one page at a time.',
    complexity: pageComplexity(),
  })
  async experiments(
    @Args({ type: () => ExperimentsArgs }) args: ExperimentsArgs,
  ): Promise<ExperimentConnection> {
    return toExperimentConnection(await this.experimentService.list(args));
  }

  @Query(() => ExperimentModel, {
    nullable: true,
    description: 'One experiment, or null when the id is unknown.',
  })
  async experiment(@Args('id', { type: () => ID }) id: string): Promise<ExperimentModel | null> {
    const row = await this.experimentService.find(id);
    return row && toExperimentModel(row);
  }

  @Mutation(() => ExperimentModel, {
    description: 'Validates the settings, records the experiment as QUEUED and queues its search.',
  })
  @Access('editor')
  async createExperiment(
    @Args('input', { type: () => CreateExperimentInput }) input: CreateExperimentInput,
  ): Promise<ExperimentModel> {
    return toExperimentModel(await this.experimentService.create(input));
  }

  @Mutation(() => ExperimentModel, {
    description:
      'Queues the search again: a FAILED experiment resumes from its stored state, and a QUEUED one gets a new job ' +
      '(use it when the job was lost). Other statuses fail with CONFLICT.',
  })
  @Access('editor')
  async startExperiment(@Args('id', { type: () => ID }) id: string): Promise<ExperimentModel> {
    return toExperimentModel(await this.experimentService.start(id));
  }

  @Mutation(() => ExperimentModel, {
    description:
      'Pauses a QUEUED or RUNNING experiment. Workers read the status periodically and stop the search; candidates already in training still finish.',
  })
  @Access('editor')
  async pauseExperiment(@Args('id', { type: () => ID }) id: string): Promise<ExperimentModel> {
    return toExperimentModel(await this.experimentService.pause(id));
  }

  @Mutation(() => ExperimentModel, {
    description: 'Queues a PAUSED experiment again; the search continues where it stopped.',
  })
  @Access('editor')
  async resumeExperiment(@Args('id', { type: () => ID }) id: string): Promise<ExperimentModel> {
    return toExperimentModel(await this.experimentService.resume(id));
  }

  @Mutation(() => ExperimentModel, {
    description: 'Cancels an experiment that has not completed; it cannot run again.',
  })
  @Access('editor')
  async cancelExperiment(@Args('id', { type: () => ID }) id: string): Promise<ExperimentModel> {
    return toExperimentModel(await this.experimentService.cancel(id));
  }

  @Mutation(() => ExperimentModel, {
    description:
      'Deletes a PAUSED, COMPLETED, FAILED or CANCELLED experiment with its generations and candidates, and returns ' +
      'it as it was. Trained models stay, without the link to the experiment.',
  })
  @Access('editor')
  async deleteExperiment(@Args('id', { type: () => ID }) id: string): Promise<ExperimentModel> {
    return toExperimentModel(await this.experimentService.delete(id));
  }

  @Mutation(() => [TrainedModelModel], {
    description:
      'Queues the full training of the topK best completed candidates by reward. Candidates that already have a ' +
      'pending, running or completed model with this method return that model instead of a new one.',
  })
  @Access('editor')
  async trainFinalModels(
    @Args({ type: () => TrainFinalModelsArgs }) args: TrainFinalModelsArgs,
  ): Promise<TrainedModelModel[]> {
    return (await this.experimentService.trainFinalModels(args)).map(toTrainedModelModel);
  }

  @ResolveField(() => DatasetModel)
  async dataset(@Parent() experiment: ExperimentModel): Promise<DatasetModel> {
    return toDatasetModel(await this.datasets.get(experiment.datasetId));
  }

  @ResolveField(() => TeacherModel, { nullable: true })
  async teacher(@Parent() experiment: ExperimentModel): Promise<TeacherModel | null> {
    if (experiment.teacherId === null) return null;
    const row = await this.teachers.find(experiment.teacherId);
    return row && toTeacherModel(row);
  }

  @ResolveField(() => ExperimentProgressModel)
  async progress(@Parent() experiment: ExperimentModel): Promise<ExperimentProgressModel> {
    return this.experimentService.progress(experiment);
  }

  @ResolveField(() => [GenerationModel], {
    description: 'Generations in order.',
    complexity: listComplexity(50),
  })
  async generations(@Parent() experiment: ExperimentModel): Promise<GenerationModel[]> {
    return (await this.experimentService.generations(experiment.id)).map(toGenerationModel);
  }

  @ResolveField(() => CandidateConnection, {
    description: 'Candidates of the experiment, one page at a time.',
    complexity: pageComplexity(),
  })
  async candidates(
    @Parent() experiment: ExperimentModel,
    @Args({ type: () => CandidatesArgs }) args: CandidatesArgs,
  ): Promise<CandidateConnection> {
    const page = await this.experimentService.candidates(experiment.id, args);
    const space = spaceOf(experiment);
    const edges = page.nodes.map((row) => ({
      cursor: encodeCursor(ExperimentsRepository.cursorOf(row, args.orderBy)),
      node: toCandidateModel(row, space),
    }));
    return {
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: page.totalCount,
    };
  }

  @ResolveField(() => [CandidateModel], {
    description:
      'Completed candidates that no other completed candidate beats on both proxy accuracy and latency, by increasing latency.',
    complexity: listComplexity(20),
  })
  async paretoFront(@Parent() experiment: ExperimentModel): Promise<CandidateModel[]> {
    return this.toCandidates(await this.experimentService.paretoFront(experiment.id), experiment);
  }

  @ResolveField(() => [CandidateModel], {
    description: `The k completed candidates with the highest reward, k from 1 to ${MAX_TOP_K}.`,
    complexity: pageComplexity('k'),
  })
  async bestCandidates(
    @Parent() experiment: ExperimentModel,
    @Args('k', { type: () => Int, defaultValue: 5 }) k: number,
  ): Promise<CandidateModel[]> {
    return this.toCandidates(await this.experimentService.bestCandidates(experiment.id, k), experiment);
  }

  @ResolveField(() => [TrainedModelModel], {
    description: 'Models trained from the candidates of this experiment.',
    complexity: listComplexity(10),
  })
  async trainedModels(@Parent() experiment: ExperimentModel): Promise<TrainedModelModel[]> {
    return (await this.experimentService.trainedModels(experiment.id)).map(toTrainedModelModel);
  }

  private toCandidates(rows: Candidate[], experiment: ExperimentModel): CandidateModel[] {
    const space = spaceOf(experiment);
    return rows.map((row) => toCandidateModel(row, space));
  }
}
