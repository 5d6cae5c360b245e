import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { CandidateModel } from '../../experiments/models/candidate.model.js';
import { BigIntScalar } from '../../common/scalars.js';
import { TeacherModel } from '../../teachers/models/teacher.model.js';

/** Source of an accuracy: the test split after full training, or mini-val after proxy training. */
export enum AccuracySourceValue {
  TEST = 'test',
  PROXY = 'proxy',
}

registerEnumType(AccuracySourceValue, {
  name: 'AccuracySource',
  description:
    'Where an accuracy was measured. TEST: test split, after the full training of a final model. PROXY: mini-val, ' +
    'after the short proxy training of the search.',
});

const TEACHER_DESCRIPTION = 'The teacher; null for the hard-label searches (the GT pseudo-teacher).';
const TEACHER_NAME_DESCRIPTION = 'Name of the teacher, or GT for hard labels.';

@ObjectType('TeacherAdvice', {
  description:
    "A teacher's best distilled student under the latency target, and how many candidates back it.",
})
export class TeacherAdviceModel {
  @Field(() => Float, {
    nullable: true,
    description:
      'Rank by bestAccuracy from 1, equal accuracies sharing their average rank; null without a candidate under the target.',
  })
  rank!: number | null;

  @Field(() => TeacherModel, { nullable: true, description: TEACHER_DESCRIPTION })
  teacher!: TeacherModel | null;

  @Field(() => String, { description: TEACHER_NAME_DESCRIPTION })
  teacherName!: string;

  @Field(() => CandidateModel, {
    nullable: true,
    description: 'Most accurate candidate at or below the target (the faster one on a tie); null if none.',
  })
  best!: CandidateModel | null;

  @Field(() => Float, { nullable: true, description: 'Proxy top-1 accuracy of best, a fraction in [0, 1].' })
  bestAccuracy!: number | null;

  @Field(() => Int, { description: 'Completed candidates of this teacher at or below the target.' })
  candidatesUnderTarget!: number;

  @Field(() => Int, { description: 'Completed candidates of this teacher at any latency.' })
  candidates!: number;
}

@ObjectType('TeacherLeaderboardEntry', {
  description: 'One of the best students of a teacher in a latency bucket.',
})
export class TeacherLeaderboardEntryModel {
  @Field(() => Int, { description: 'Position from 1 within the bucket.' })
  rank!: number;

  @Field(() => CandidateModel)
  candidate!: CandidateModel;

  @Field(() => ID)
  experimentId!: string;

  @Field(() => Float, {
    description: 'testAccuracy when known, else proxyAccuracy; accuracySource names the source.',
  })
  accuracy!: number;

  @Field(() => AccuracySourceValue)
  accuracySource!: AccuracySourceValue;

  @Field(() => Float, { description: 'Proxy top-1 accuracy, a fraction in [0, 1].' })
  proxyAccuracy!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'Test top-1 accuracy of the completed final model trained from this teacher (with hard labels for GT); of ' +
      'several, the one with the most epochs, the newest on a tie.',
  })
  testAccuracy!: number | null;

  @Field(() => ID, { nullable: true, description: 'The final model behind testAccuracy.' })
  trainedModelId!: string | null;

  @Field(() => Float, { description: 'Latency in milliseconds.' })
  latencyMs!: number;

  @Field(() => BigIntScalar)
  params!: bigint;

  @Field(() => BigIntScalar, { description: 'Multiply-accumulate operations of one forward pass.' })
  flops!: bigint;

  @Field(() => Float, {
    nullable: true,
    description:
      'Accuracy of the same genome trained on hard labels, measured as gainSource says; null if unknown.',
  })
  hardLabelAccuracy!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'Distilled minus hard-label accuracy of the same genome, negative when distillation hurt. TEST compares final ' +
      'models with the same epochs; PROXY compares proxy accuracies of searches with the same proxy settings. ' +
      'Null for GT and when neither is known.',
  })
  gain!: number | null;

  @Field(() => AccuracySourceValue, { nullable: true })
  gainSource!: AccuracySourceValue | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "accuracy divided by the teacher's test accuracy. For a PROXY accuracy this compares mini-val with test " +
      'accuracy. Null for GT and for a teacher without test accuracy.',
  })
  teacherAccuracyRetained!: number | null;
}

@ObjectType('LatencyBucket', {
  description: 'The best students whose latency is above minLatencyMs and at most maxLatencyMs.',
})
export class LatencyBucketModel {
  @Field(() => Float, { description: 'Exclusive lower bound in milliseconds; 0 for the first bucket.' })
  minLatencyMs!: number;

  @Field(() => Float, { description: 'Inclusive upper bound in milliseconds.' })
  maxLatencyMs!: number;

  @Field(() => Int, { description: 'Completed candidates of the teacher in the bucket.' })
  candidates!: number;

  @Field(() => [TeacherLeaderboardEntryModel], {
    description:
      'Distinct genomes by decreasing proxy accuracy, then increasing latency. Proxy accuracy ranks because every ' +
      'candidate has one.',
  })
  entries!: TeacherLeaderboardEntryModel[];
}

@ObjectType('TeacherLeaderboard', { description: 'The best students of one teacher, per latency bucket.' })
export class TeacherLeaderboardModel {
  @Field(() => TeacherModel, { nullable: true, description: TEACHER_DESCRIPTION })
  teacher!: TeacherModel | null;

  @Field(() => String, { description: TEACHER_NAME_DESCRIPTION })
  teacherName!: string;

  @Field(() => Float, { nullable: true, description: 'Test top-1 accuracy of the teacher; null for GT.' })
  teacherTestAccuracy!: number | null;

  @Field(() => [LatencyBucketModel], { description: 'One entry per bucket, fastest first.' })
  buckets!: LatencyBucketModel[];
}
