import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { fromEnumKey, type TrainedModel } from '@akd/db';
import { DistillationMethodValue, JobStatusValue } from '../../common/enums.js';
import { BigIntScalar, JsonScalar } from '../../common/scalars.js';

@ObjectType('TrainedModel', { description: 'A student trained to completion outside the proxy task.' })
export class TrainedModelModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true, description: 'Candidate whose architecture was trained.' })
  candidateId!: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Teacher it was distilled from; null for hard-label training.',
  })
  teacherId!: string | null;

  @Field(() => ID, { nullable: true })
  experimentId!: string | null;

  @Field(() => DistillationMethodValue)
  method!: DistillationMethodValue;

  @Field(() => Int)
  epochs!: number;

  @Field(() => JsonScalar, { description: 'Training settings, e.g. batch size and learning rate.' })
  settings!: unknown;

  @Field(() => JobStatusValue)
  status!: JobStatusValue;

  @Field(() => Float, {
    nullable: true,
    description: 'Top-1 accuracy on the test split, a fraction in [0, 1].',
  })
  testTop1!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Top-5 accuracy on the test split, a fraction in [0, 1].',
  })
  testTop5!: number | null;

  @Field(() => Float, { nullable: true, description: 'Latency in milliseconds.' })
  latencyMs!: number | null;

  @Field(() => BigIntScalar, { nullable: true })
  params!: bigint | null;

  @Field(() => BigIntScalar, { nullable: true })
  flops!: bigint | null;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => Boolean, {
    description: 'Whether the model can be downloaded from /api/models/{id}/download.',
  })
  downloadable!: boolean;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

export function toTrainedModelModel(row: TrainedModel): TrainedModelModel {
  return {
    id: row.id,
    candidateId: row.candidateId,
    teacherId: row.teacherId,
    experimentId: row.experimentId,
    method: fromEnumKey(row.method) as DistillationMethodValue,
    epochs: row.epochs,
    settings: row.settings,
    status: fromEnumKey(row.status) as JobStatusValue,
    testTop1: row.testTop1,
    testTop5: row.testTop5,
    latencyMs: row.latencyMs,
    params: row.params,
    flops: row.flops,
    error: row.error,
    downloadable: row.status === 'completed' && row.artifactDir !== null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
