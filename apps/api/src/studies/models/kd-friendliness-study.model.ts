import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { StudyModel, StudyStudentModel, StudyTeacherModel, StudyTrainingModel } from './study.model.js';

@ObjectType('KdFriendlinessStudent', { description: 'KD gain of one student, means over the seeds.' })
export class KdFriendlinessStudentModel {
  @Field(() => String, { description: 'Student key.' })
  student!: string;

  @Field(() => Float, { nullable: true, description: 'Accuracy when distilled from the teacher (KD).' })
  distilledAccuracy!: number | null;

  @Field(() => Float, { nullable: true, description: 'Accuracy when trained on hard labels (CLS).' })
  hardLabelAccuracy!: number | null;

  @Field(() => Float, { nullable: true, description: 'distilledAccuracy - hardLabelAccuracy.' })
  gain!: number | null;
}

@ObjectType('KdFriendlinessGeneration', {
  description:
    'At one generation: [KD(AKD) - CLS(AKD)] - [KD(NAS) - CLS(NAS)] over every pair of an AKD and a NAS student.',
})
export class KdFriendlinessGenerationModel {
  @Field(() => Int)
  generation!: number;

  @Field(() => [KdFriendlinessStudentModel], { description: 'Top students of the distillation search.' })
  akd!: KdFriendlinessStudentModel[];

  @Field(() => [KdFriendlinessStudentModel], { description: 'Top students of the hard-label search.' })
  nas!: KdFriendlinessStudentModel[];

  @Field(() => Float, {
    nullable: true,
    description:
      'Mean AKD gain minus mean NAS gain; null until every student has both accuracies for every seed.',
  })
  averageGain!: number | null;

  @Field(() => Float, { nullable: true, description: 'wins / comparisons.' })
  winningRatio!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Pairs in which the AKD student's gain is strictly larger.",
  })
  wins!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Pairs with equal gains, counted as neither win nor loss.',
  })
  ties!: number | null;

  @Field(() => Int, { nullable: true, description: 'Pairs compared.' })
  comparisons!: number | null;
}

@ObjectType('KdFriendlinessStudy', {
  implements: () => [StudyModel],
  description:
    'Whether the students a distillation search (AKD) finds gain more from distillation than those of a ' +
    'hard-label search (NAS), at several generations.',
})
export class KdFriendlinessStudyModel extends StudyModel {
  @Field(() => ID)
  akdExperimentId!: string;

  @Field(() => ID)
  nasExperimentId!: string;

  @Field(() => StudyTeacherModel, { description: 'Teacher of the AKD search, which distills every student.' })
  teacher!: StudyTeacherModel;

  @Field(() => [Int], { description: 'Generation indices compared, from 0.' })
  generations!: number[];

  @Field(() => Int, { description: 'Students per generation and search: the best by reward.' })
  topK!: number;

  @Field(() => [Int])
  seeds!: number[];

  @Field(() => StudyTrainingModel)
  training!: StudyTrainingModel;

  @Field(() => [StudyStudentModel], {
    description: 'Distinct architectures over all generations and both searches.',
  })
  students!: StudyStudentModel[];

  @Field(() => [KdFriendlinessGenerationModel], { description: 'One entry per generation, ascending.' })
  generationResults!: KdFriendlinessGenerationModel[];
}
