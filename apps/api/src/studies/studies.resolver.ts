import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { StudyStatusName, StudyView } from '@akd/runner';
import { Access } from '../auth/access.decorator.js';
import { DeclareArgTypes } from '../common/arg-types.js';
import { listComplexity, pageComplexity } from '../common/complexity.js';
import { JobStatusValue } from '../common/enums.js';
import { encodeCursor, type Page } from '../common/pagination.js';
import { DatasetsService } from '../datasets/datasets.service.js';
import { DatasetModel, toDatasetModel } from '../datasets/models/dataset.model.js';
import {
  CreateAblationStudyInput,
  CreateKdFriendlinessStudyInput,
  CreateRankingStudyInput,
  CreateSimilarityStudyInput,
} from './dto/create-study.input.js';
import { KdFriendlinessArgs, StudiesArgs } from './dto/studies.args.js';
import { KdFriendlinessStudyModel } from './models/kd-friendliness-study.model.js';
import { toStudyCellModel, toStudyModel } from './models/study.mapper.js';
import { StudyCellModel, StudyConnection, StudyModel } from './models/study.model.js';
import { StudiesService } from './studies.service.js';

const CREATE_NOTE =
  'Validates the input, records the study with one cell per unit of work and queues the cells; an invalid input ' +
  'records and queues nothing.';

function toStudyConnection(page: Page<StudyView> & { totalCount: number }): StudyConnection {
  const edges = page.nodes.map((view) => ({
    cursor: encodeCursor({ value: null, id: view.id }),
    node: toStudyModel(view),
  }));
  return {
    edges,
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: page.totalCount,
  };
}

@Resolver(() => StudyModel)
@DeclareArgTypes()
export class StudiesResolver {
  constructor(
    @Inject(StudiesService) private readonly studyService: StudiesService,
    @Inject(DatasetsService) private readonly datasets: DatasetsService,
  ) {}

  @Query(() => StudyModel, { nullable: true, description: 'One study, or null when the id is unknown.' })
  async study(@Args('id', { type: () => ID }) id: string): Promise<StudyModel | null> {
    const view = await this.studyService.find(id);
    return view && toStudyModel(view);
  }

  @Query(() => StudyConnection, {
    description: 'Studies, newest first, one page at a time.',
    complexity: pageComplexity(),
  })
  async studies(@Args({ type: () => StudiesArgs }) args: StudiesArgs): Promise<StudyConnection> {
    return toStudyConnection(await this.studyService.list(args));
  }

  @Query(() => KdFriendlinessStudyModel, {
    nullable: true,
    description:
      'The newest KD-friendliness study of an AKD and a NAS search that covers the generations, or null when there ' +
      'is none: create one with createKdFriendlinessStudy.',
  })
  async kdFriendliness(
    @Args({ type: () => KdFriendlinessArgs }) args: KdFriendlinessArgs,
  ): Promise<KdFriendlinessStudyModel | null> {
    const view = await this.studyService.kdFriendliness(args);
    return view && (toStudyModel(view) as KdFriendlinessStudyModel);
  }

  @Mutation(() => StudyModel, {
    description: `Compares teachers by mean KL divergence and top-1 agreement on a split. ${CREATE_NOTE}`,
  })
  @Access('editor')
  async createSimilarityStudy(
    @Args('input', { type: () => CreateSimilarityStudyInput }) input: CreateSimilarityStudyInput,
  ): Promise<StudyModel> {
    return toStudyModel(await this.studyService.createSimilarity(input));
  }

  @Mutation(() => StudyModel, {
    description: `Trains every student from every teacher (and GT) with each seed and ranks them. ${CREATE_NOTE}`,
  })
  @Access('editor')
  async createRankingStudy(
    @Args('input', { type: () => CreateRankingStudyInput }) input: CreateRankingStudyInput,
  ): Promise<StudyModel> {
    return toStudyModel(await this.studyService.createRanking(input));
  }

  @Mutation(() => StudyModel, {
    description:
      'Per latency target, searches by hard labels and by distillation (reusing matching searches) and trains each ' +
      `best student both ways. ${CREATE_NOTE}`,
  })
  @Access('editor')
  async createAblationStudy(
    @Args('input', { type: () => CreateAblationStudyInput }) input: CreateAblationStudyInput,
  ): Promise<StudyModel> {
    return toStudyModel(await this.studyService.createAblation(input));
  }

  @Mutation(() => StudyModel, {
    description:
      'Trains the top students of an AKD and a NAS search at several generations with and without distillation. ' +
      CREATE_NOTE,
  })
  @Access('editor')
  async createKdFriendlinessStudy(
    @Args('input', { type: () => CreateKdFriendlinessStudyInput }) input: CreateKdFriendlinessStudyInput,
  ): Promise<StudyModel> {
    return toStudyModel(await this.studyService.createKdFriendliness(input));
  }

  @Mutation(() => StudyModel, {
    description:
      'Cancels the pending cells of a study; running cells finish but are not retried. CONFLICT for a completed study.',
  })
  @Access('editor')
  async cancelStudy(@Args('id', { type: () => ID }) id: string): Promise<StudyModel> {
    return toStudyModel(await this.studyService.cancel(id));
  }

  @Mutation(() => StudyModel, {
    description:
      'Sets failed and cancelled cells pending again and queues every pending cell; completed cells stay.',
  })
  @Access('editor')
  async resumeStudy(@Args('id', { type: () => ID }) id: string): Promise<StudyModel> {
    return toStudyModel(await this.studyService.resume(id));
  }

  @ResolveField(() => DatasetModel)
  async dataset(@Parent() study: StudyModel): Promise<DatasetModel> {
    return toDatasetModel(await this.datasets.get(study.datasetId));
  }

  @ResolveField(() => [StudyCellModel], {
    description: 'Cells in key order, with their configuration and result.',
    complexity: listComplexity(50),
  })
  async cells(
    @Parent() study: StudyModel,
    @Args('status', { type: () => JobStatusValue, nullable: true, description: 'Only cells in this state.' })
    status?: JobStatusValue | null,
  ): Promise<StudyCellModel[]> {
    const cells = await this.studyService.cells(study.id, (status ?? null) as StudyStatusName | null);
    return cells.map(toStudyCellModel);
  }
}
