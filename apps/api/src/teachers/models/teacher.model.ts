import { Field, Float, ID, ObjectType } from '@nestjs/graphql';
import { fromEnumKey, type Teacher } from '@akd/db';
import { TeacherSourceValue, TeacherStatusValue } from '../../common/enums.js';
import { BigIntScalar, JsonScalar } from '../../common/scalars.js';

@ObjectType('Teacher', { description: 'A network that students learn from.' })
export class TeacherModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  datasetId!: string;

  @Field(() => String, { description: 'Name, unique within the dataset.' })
  name!: string;

  @Field(() => TeacherSourceValue)
  source!: TeacherSourceValue;

  @Field(() => String, { description: 'Architecture family, e.g. resnet, vgg, mobilenetv2 or ensemble.' })
  family!: string;

  @Field(() => JsonScalar, {
    description: 'Architecture details, e.g. the zoo description or the imported files.',
  })
  config!: unknown;

  @Field(() => JsonScalar, { description: 'Training recipe: epochs, batch size, learning rate, seed.' })
  trainingSettings!: unknown;

  @Field(() => TeacherStatusValue)
  status!: TeacherStatusValue;

  @Field(() => Float, {
    nullable: true,
    description: 'Top-1 accuracy on the test split, a fraction in [0, 1].',
  })
  testAccuracy!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Top-5 accuracy on the test split, a fraction in [0, 1].',
  })
  testTop5!: number | null;

  @Field(() => BigIntScalar, { nullable: true, description: 'Number of parameters.' })
  params!: bigint | null;

  @Field(() => BigIntScalar, {
    nullable: true,
    description: 'Multiply-accumulate operations of one forward pass.',
  })
  flops!: bigint | null;

  @Field(() => [ID], { description: 'Member teacher ids of an ensemble; empty for other sources.' })
  memberIds!: string[];

  @Field(() => String, { nullable: true, description: 'Why training failed, when status is FAILED.' })
  error!: string | null;

  @Field(() => Boolean, { description: 'Whether files can be downloaded from /api/teachers/{id}/download.' })
  downloadable!: boolean;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

export function toTeacherModel(row: Teacher): TeacherModel {
  return {
    id: row.id,
    datasetId: row.datasetId,
    name: row.name,
    source: fromEnumKey(row.source) as TeacherSourceValue,
    family: row.family,
    config: row.config,
    trainingSettings: row.trainingSettings,
    status: fromEnumKey(row.status) as TeacherStatusValue,
    testAccuracy: row.testAccuracy,
    testTop5: row.testTop5,
    params: row.params,
    flops: row.flops,
    memberIds: Array.isArray(row.members) ? row.members.map(String) : [],
    error: row.error,
    downloadable: row.artifactDir !== null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
