import { Field, Float, ID, Int, InterfaceType, ObjectType } from '@nestjs/graphql';
import { JobStatusValue } from '../../common/enums.js';
import { BigIntScalar, JsonScalar } from '../../common/scalars.js';
import { PageInfo } from '../../common/pagination.js';
import { KdSettingsModel, ProxySettingsModel } from '../../experiments/models/experiment.model.js';
import { StudyKindValue, StudyTrainingModeValue } from './study-enums.js';

/** GraphQL type of each study kind. */
const TYPE_OF_KIND: Record<StudyKindValue, string> = {
  [StudyKindValue.SIMILARITY]: 'SimilarityStudy',
  [StudyKindValue.RANKING]: 'RankingStudy',
  [StudyKindValue.ABLATION]: 'AblationStudy',
  [StudyKindValue.KD_FRIENDLINESS]: 'KdFriendlinessStudy',
};

@ObjectType('StudyProgress', { description: 'Cells of a study by state.' })
export class StudyProgressModel {
  @Field(() => Int)
  total!: number;

  @Field(() => Int)
  pending!: number;

  @Field(() => Int)
  running!: number;

  @Field(() => Int)
  completed!: number;

  @Field(() => Int)
  failed!: number;

  @Field(() => Int)
  cancelled!: number;
}

@ObjectType('StudyCellProblem', {
  description: 'A cell without a result: pending, running, failed or cancelled.',
})
export class StudyCellProblemModel {
  @Field(() => ID)
  cellId!: string;

  @Field(() => String)
  key!: string;

  @Field(() => JobStatusValue)
  status!: JobStatusValue;

  @Field(() => Int)
  attempts!: number;

  @Field(() => String, {
    nullable: true,
    description: 'Last error, also for a pending cell that failed once and waits for its retry.',
  })
  error!: string | null;
}

@ObjectType('StudyCell', { description: 'One unit of work of a study, run as one job.' })
export class StudyCellModel {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Key unique within the study, e.g. `train:s1:<teacher>:1`.' })
  key!: string;

  @Field(() => JobStatusValue)
  status!: JobStatusValue;

  @Field(() => Int)
  attempts!: number;

  @Field(() => JsonScalar, { description: 'What the cell computes, e.g. student, teacher and seed.' })
  config!: unknown;

  @Field(() => JsonScalar, {
    nullable: true,
    description: 'Result once completed, e.g. accuracy and latency.',
  })
  result!: unknown;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType('StudyTeacher', { description: 'A teacher column of a study, or GT for hard labels.' })
export class StudyTeacherModel {
  @Field(() => String, { description: 'Key that results use: the teacher id, or GT.' })
  key!: string;

  @Field(() => ID, { nullable: true, description: 'Teacher id; null for GT.' })
  teacherId!: string | null;

  @Field(() => String)
  name!: string;

  @Field(() => Float, {
    nullable: true,
    description: 'Test top-1 accuracy when the study was created, in [0, 1]; null for GT.',
  })
  testAccuracy!: number | null;
}

@ObjectType('StudyStudent', { description: 'A student architecture of a study.' })
export class StudyStudentModel {
  @Field(() => String, { description: 'Key unique in the study, e.g. s1; results refer to it.' })
  key!: string;

  @Field(() => String)
  label!: string;

  @Field(() => String, {
    description: 'Where the genome came from, e.g. `random seed 7` or `experiment <id> #2`.',
  })
  source!: string;

  @Field(() => String)
  genomeHash!: string;

  @Field(() => String, { description: 'One-line description of the blocks.' })
  architecture!: string;

  @Field(() => JsonScalar)
  genome!: unknown;

  @Field(() => BigIntScalar)
  params!: number;

  @Field(() => BigIntScalar, { description: 'Multiply-accumulate operations of one forward pass.' })
  flops!: number;

  @Field(() => ID, { nullable: true, description: 'Candidate the genome was taken from, if any.' })
  candidateId!: string | null;
}

@ObjectType('StudyTraining', { description: 'How a study trains its students.' })
export class StudyTrainingModel {
  @Field(() => StudyTrainingModeValue)
  mode!: StudyTrainingModeValue;

  @Field(() => ProxySettingsModel, { nullable: true, description: 'The proxy task; null in FULL mode.' })
  proxy!: ProxySettingsModel | null;

  @Field(() => Int, { nullable: true, description: 'Epochs of FULL training; null in PROXY mode.' })
  epochs!: number | null;

  @Field(() => Int, { nullable: true, description: 'Batch size of FULL training; null in PROXY mode.' })
  batchSize!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Peak Adam learning rate of FULL training; null in PROXY mode.',
  })
  learningRate!: number | null;

  @Field(() => KdSettingsModel, { description: 'Hinton settings of the cells that distill from a teacher.' })
  kd!: KdSettingsModel;
}

@InterfaceType('Study', {
  description:
    'A comparison run as independent cells on the workers. The result is assembled again whenever a cell ' +
    'finishes, so it is partial until complete is true.',
  resolveType: (study: StudyModel) => TYPE_OF_KIND[study.kind],
})
export abstract class StudyModel {
  @Field(() => ID)
  id!: string;

  @Field(() => StudyKindValue)
  kind!: StudyKindValue;

  @Field(() => String)
  name!: string;

  @Field(() => ID)
  datasetId!: string;

  @Field(() => JobStatusValue, {
    description: 'COMPLETED once every cell completed; FAILED once a cell failed for good.',
  })
  status!: JobStatusValue;

  @Field(() => StudyProgressModel)
  progress!: StudyProgressModel;

  @Field(() => Boolean, { description: 'Whether every cell completed, so every figure rests on full data.' })
  complete!: boolean;

  @Field(() => [StudyCellProblemModel], { description: 'Cells without a result, by key.' })
  missingCells!: StudyCellProblemModel[];

  @Field(() => Date, { nullable: true, description: 'When the result was last assembled.' })
  assembledAt!: Date | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType()
export class StudyEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => StudyModel)
  node!: StudyModel;
}

@ObjectType({ description: 'A page of studies, newest first.' })
export class StudyConnection {
  @Field(() => [StudyEdge])
  edges!: StudyEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Number of studies that match the filter, across pages.' })
  totalCount!: number;
}
