import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { ProxySettingsModel } from '../../experiments/models/experiment.model.js';
import { SimilaritySplitValue } from './study-enums.js';
import { StudyModel, StudyTeacherModel } from './study.model.js';

@ObjectType('TeacherSimilarityMatrix', {
  description:
    'Pairwise statistics of the sources (the teachers, then GT when included) over the samples of the split. Row ' +
    'and column i are source i.',
})
export class TeacherSimilarityMatrixModel {
  @Field(() => [String], { description: 'Source names: teacher names, then GT.' })
  names!: string[];

  @Field(() => [String], { description: 'Source keys in the same order: teacher ids, then GT.' })
  keys!: string[];

  @Field(() => [[Float]], {
    description:
      'meanKl[i][j]: mean over the samples of KL(p_i || p_j) in nats; not symmetric; 0 on the diagonal.',
  })
  meanKl!: number[][];

  @Field(() => [[Float]], {
    description: 'agreement[i][j]: share of samples on which sources i and j predict the same top-1 class.',
  })
  agreement!: number[][];

  @Field(() => Int, { description: 'Samples compared.' })
  samples!: number;
}

@ObjectType('SimilarityStudy', {
  implements: () => [StudyModel],
  description: 'Mean KL divergence and top-1 agreement between teachers, and with the labels (GT).',
})
export class SimilarityStudyModel extends StudyModel {
  @Field(() => [StudyTeacherModel], { description: 'Teachers compared, without GT.' })
  teachers!: StudyTeacherModel[];

  @Field(() => Boolean, { description: 'Whether the label-smoothed labels join as the GT source.' })
  includeGroundTruth!: boolean;

  @Field(() => SimilaritySplitValue)
  split!: SimilaritySplitValue;

  @Field(() => ProxySettingsModel, {
    nullable: true,
    description: 'Subsets of the MINI_TRAIN and MINI_VAL splits; null for the others.',
  })
  proxy!: ProxySettingsModel | null;

  @Field(() => Float, { description: "Softmax temperature applied to every teacher's logits." })
  temperature!: number;

  @Field(() => Float, { nullable: true, description: 'Label smoothing of GT; null without GT.' })
  labelSmoothing!: number | null;

  @Field(() => TeacherSimilarityMatrixModel, {
    nullable: true,
    description: 'Null until the cell completes.',
  })
  similarity!: TeacherSimilarityMatrixModel | null;
}
