import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { JobStatusValue, SearchByValue, SearchStrategyValue } from '../../common/enums.js';
import { JsonScalar } from '../../common/scalars.js';
import { KdSettingsModel, ProxySettingsModel } from '../../experiments/models/experiment.model.js';
import { StudyModel, StudyTeacherModel } from './study.model.js';

@ObjectType('AblationSearchSettings', {
  description: 'Settings shared by the searches of an ablation study.',
})
export class AblationSearchSettingsModel {
  @Field(() => SearchStrategyValue)
  strategy!: SearchStrategyValue;

  @Field(() => JsonScalar)
  strategyOptions!: unknown;

  @Field(() => Int)
  budget!: number;

  @Field(() => Int)
  generationSize!: number;

  @Field(() => ProxySettingsModel)
  proxy!: ProxySettingsModel;

  @Field(() => KdSettingsModel, { description: 'Hinton settings of the distillation searches.' })
  kd!: KdSettingsModel;

  @Field(() => Int)
  seed!: number;

  @Field(() => Float)
  rewardAlpha!: number;

  @Field(() => Float)
  rewardBeta!: number;
}

@ObjectType('AblationSearch', { description: 'A search an ablation study uses.' })
export class AblationSearchModel {
  @Field(() => Float)
  latencyTargetMs!: number;

  @Field(() => SearchByValue)
  searchBy!: SearchByValue;

  @Field(() => ID)
  experimentId!: string;

  @Field(() => Boolean, {
    description: 'Whether the study reused a matching search instead of creating one.',
  })
  reused!: boolean;
}

@ObjectType('AblationFinalTraining', { description: 'Final training of the best student of each search.' })
export class AblationFinalTrainingModel {
  @Field(() => Int)
  epochs!: number;

  @Field(() => Int)
  batchSize!: number;

  @Field(() => Float, { description: 'Peak Adam learning rate.' })
  learningRate!: number;

  @Field(() => KdSettingsModel, { description: 'Hinton settings of the distilled final trainings.' })
  kd!: KdSettingsModel;

  @Field(() => Int)
  seed!: number;
}

@ObjectType('AblationEntry', { description: 'The best student of one search, trained with one signal.' })
export class AblationEntryModel {
  @Field(() => SearchByValue, { description: 'Signal that scored candidates during the search.' })
  searchBy!: SearchByValue;

  @Field(() => SearchByValue, { description: 'Signal of the final training.' })
  trainBy!: SearchByValue;

  @Field(() => Float, { nullable: true, description: 'Test top-1 accuracy; null until the cell completes.' })
  top1!: number | null;

  @Field(() => Float, { nullable: true, description: 'Test top-5 accuracy; null until the cell completes.' })
  top5!: number | null;

  @Field(() => ID, { description: 'The search whose best student this is.' })
  experimentId!: string;

  @Field(() => ID, { nullable: true, description: 'The final model; null until it is recorded.' })
  trainedModelId!: string | null;

  @Field(() => JobStatusValue, { description: 'Status of the cell.' })
  status!: JobStatusValue;

  @Field(() => String, { nullable: true })
  error!: string | null;
}

@ObjectType('AblationRow', { description: 'The four settings under one latency target.' })
export class AblationRowModel {
  @Field(() => Float)
  latencyTargetMs!: number;

  @Field(() => [AblationEntryModel], {
    description:
      'Entries in the order HARD_LABEL/HARD_LABEL, HARD_LABEL/DISTILLATION, DISTILLATION/HARD_LABEL, DISTILLATION/DISTILLATION.',
  })
  entries!: AblationEntryModel[];
}

@ObjectType('AblationStudy', {
  implements: () => [StudyModel],
  description:
    'For each latency target: searching by {hard label, distillation} x training the best student by {hard label, ' +
    'distillation}, scored by test top-1 and top-5.',
})
export class AblationStudyModel extends StudyModel {
  @Field(() => StudyTeacherModel)
  teacher!: StudyTeacherModel;

  @Field(() => [Float])
  latencyTargetsMs!: number[];

  @Field(() => AblationSearchSettingsModel)
  search!: AblationSearchSettingsModel;

  @Field(() => [AblationSearchModel])
  searches!: AblationSearchModel[];

  @Field(() => AblationFinalTrainingModel)
  finalTraining!: AblationFinalTrainingModel;

  @Field(() => [AblationRowModel], { description: 'One row per latency target.' })
  rows!: AblationRowModel[];
}
