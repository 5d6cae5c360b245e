import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { StudyModel, StudyStudentModel, StudyTeacherModel, StudyTrainingModel } from './study.model.js';

@ObjectType('RankingMatrixEntry', {
  description: 'Accuracies of one student under one teacher over the seeds.',
})
export class RankingMatrixEntryModel {
  @Field(() => String, { description: 'Student key.' })
  student!: string;

  @Field(() => String, { description: 'Teacher key: teacher id or GT.' })
  teacher!: string;

  @Field(() => [Float], {
    nullable: 'items',
    description:
      'Top-1 accuracy per seed, in the order of the study seeds; null where the cell has no result.',
  })
  accuracies!: (number | null)[];

  @Field(() => Int, { description: 'Seeds with a result.' })
  seeds!: number;

  @Field(() => Float, { nullable: true })
  mean!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Sample standard deviation over seeds (n - 1); null for fewer than two seeds.',
  })
  standardDeviation!: number | null;

  @Field(() => Float, { nullable: true })
  min!: number | null;

  @Field(() => Float, { nullable: true })
  max!: number | null;
}

@ObjectType('StudentRank', { description: "A student's place under one teacher." })
export class StudentRankModel {
  @Field(() => String)
  student!: string;

  @Field(() => Float, { description: 'Mean accuracy over the seeds.' })
  mean!: number;

  @Field(() => Int, {
    description:
      '1 + the number of students whose mean is higher by more than the seed spread, so students the seeds cannot ' +
      'tell apart share a rank.',
  })
  rank!: number;

  @Field(() => Float, {
    description: 'Rank by mean alone (1 = best, exact ties averaged), as Kendall tau uses it.',
  })
  rankByMean!: number;

  @Field(() => [String], { description: 'Students whose mean is within the seed spread of this one.' })
  tiedWith!: string[];
}

@ObjectType('TeacherRanking', { description: 'The students ranked under one teacher.' })
export class TeacherRankingModel {
  @Field(() => String, { description: 'Teacher key: teacher id or GT.' })
  teacher!: string;

  @Field(() => String)
  teacherName!: string;

  @Field(() => Boolean, {
    description: 'Whether every student has a result for every seed under this teacher.',
  })
  complete!: boolean;

  @Field(() => [StudentRankModel], { nullable: true, description: 'Best first; null unless complete.' })
  ranks!: StudentRankModel[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Students with the highest mean; null unless complete.',
  })
  best!: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Students of rank 1: the best and those within the seed spread of it; null unless complete.',
  })
  bestWithinSpread!: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description:
      'Students whose Welch test against a best student does not reject equal means at 0.05; null unless complete ' +
      'and with at least two seeds.',
  })
  withinNoiseOfBest!: string[] | null;
}

@ObjectType('KendallTauPair', { description: "Kendall's tau-b between the rankings of two teachers." })
export class KendallTauPairModel {
  @Field(() => String, { description: 'Teacher key: teacher id or GT.' })
  teacherA!: string;

  @Field(() => String)
  teacherB!: string;

  @Field(() => Float, {
    nullable: true,
    description: 'In [-1, 1]; null while either teacher is incomplete or has all means equal.',
  })
  tau!: number | null;
}

@ObjectType('RankingStudy', {
  implements: () => [StudyModel],
  description:
    'Every student trained from every teacher (and GT) with several seeds, and the rankings that result.',
})
export class RankingStudyModel extends StudyModel {
  @Field(() => [StudyTeacherModel], { description: 'Teacher columns, GT last when included.' })
  teachers!: StudyTeacherModel[];

  @Field(() => [StudyStudentModel])
  students!: StudyStudentModel[];

  @Field(() => [Int])
  seeds!: number[];

  @Field(() => StudyTrainingModel)
  training!: StudyTrainingModel;

  @Field(() => [RankingMatrixEntryModel], {
    description: 'One entry per student and teacher, students outer.',
  })
  matrix!: RankingMatrixEntryModel[];

  @Field(() => [TeacherRankingModel], { description: 'One entry per teacher column.' })
  rankings!: TeacherRankingModel[];

  @Field(() => [KendallTauPairModel], { description: 'One entry per pair of teacher columns.' })
  kendallTau!: KendallTauPairModel[];

  @Field(() => String, { nullable: true, description: 'The rule that decides ties within noise, in words.' })
  tieRule!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why ranks or tau are missing; null when all are computed.',
  })
  incompleteReason!: string | null;
}
