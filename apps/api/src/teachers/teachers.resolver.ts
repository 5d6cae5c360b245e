import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Access } from '../auth/access.decorator.js';
import { DeclareArgTypes } from '../common/arg-types.js';
import { DatasetsService } from '../datasets/datasets.service.js';
import { DatasetModel, toDatasetModel } from '../datasets/models/dataset.model.js';
import { CreateEnsembleTeacherInput, TrainTeacherInput } from './dto/train-teacher.input.js';
import { TeacherModel, toTeacherModel } from './models/teacher.model.js';
import { TeachersService } from './teachers.service.js';

@Resolver(() => TeacherModel)
@DeclareArgTypes()
export class TeachersResolver {
  constructor(
    @Inject(TeachersService) private readonly teacherService: TeachersService,
    @Inject(DatasetsService) private readonly datasets: DatasetsService,
  ) {}

  @Query(() => [TeacherModel], {
    description: 'Teachers of one dataset, or of all datasets without datasetId.',
  })
  async teachers(
    @Args('datasetId', { type: () => ID, nullable: true }) datasetId?: string | null,
  ): Promise<TeacherModel[]> {
    return (await this.teacherService.list(datasetId ?? undefined)).map(toTeacherModel);
  }

  @Query(() => TeacherModel, { nullable: true, description: 'One teacher, or null when the id is unknown.' })
  async teacher(@Args('id', { type: () => ID }) id: string): Promise<TeacherModel | null> {
    const row = await this.teacherService.find(id);
    return row && toTeacherModel(row);
  }

  @Mutation(() => TeacherModel, { description: 'Queues the training of a zoo teacher on a dataset.' })
  @Access('editor')
  async trainTeacher(
    @Args('input', { type: () => TrainTeacherInput }) input: TrainTeacherInput,
  ): Promise<TeacherModel> {
    return toTeacherModel(await this.teacherService.train(input));
  }

  @Mutation(() => TeacherModel, {
    description:
      'Records an ensemble of ready teachers of one dataset (its outputs average the members) and queues the ' +
      'job that evaluates it; it is PENDING until that job finishes.',
  })
  @Access('editor')
  async createEnsembleTeacher(
    @Args('input', { type: () => CreateEnsembleTeacherInput }) input: CreateEnsembleTeacherInput,
  ): Promise<TeacherModel> {
    return toTeacherModel(await this.teacherService.createEnsemble(input));
  }

  @ResolveField(() => DatasetModel)
  async dataset(@Parent() teacher: TeacherModel): Promise<DatasetModel> {
    return toDatasetModel(await this.datasets.get(teacher.datasetId));
  }

  @ResolveField(() => [TeacherModel], { description: 'Member teachers of an ensemble.' })
  async members(@Parent() teacher: TeacherModel): Promise<TeacherModel[]> {
    if (teacher.memberIds.length === 0) return [];
    return (await this.teacherService.findMany(teacher.memberIds)).map(toTeacherModel);
  }
}
