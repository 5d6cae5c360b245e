import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { fromEnumKey, type Dataset } from '@akd/db';
import { DatasetKindValue } from '../../common/enums.js';

@ObjectType('Dataset', { description: 'A registered image classification dataset.' })
export class DatasetModel {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Unique name, e.g. fashion-mnist-subset.' })
  name!: string;

  @Field(() => DatasetKindValue)
  kind!: DatasetKindValue;

  @Field(() => Int, { description: 'Image height in pixels.' })
  inputHeight!: number;

  @Field(() => Int, { description: 'Image width in pixels.' })
  inputWidth!: number;

  @Field(() => Int, { description: 'Colour channels per pixel.' })
  inputChannels!: number;

  @Field(() => Int)
  numClasses!: number;

  @Field(() => [String], { description: 'Class names indexed by label.' })
  classNames!: string[];

  @Field(() => Int, { description: 'Images in the training split.' })
  trainCount!: number;

  @Field(() => Int, { description: 'Images in the test split.' })
  testCount!: number;

  @Field(() => String, {
    description: 'SHA-256 (hex) of the contents; the same data is registered only once.',
  })
  fingerprint!: string;

  @Field(() => Date)
  createdAt!: Date;
}

export function toDatasetModel(row: Dataset): DatasetModel {
  return {
    id: row.id,
    name: row.name,
    kind: fromEnumKey(row.kind) as DatasetKindValue,
    inputHeight: row.inputHeight,
    inputWidth: row.inputWidth,
    inputChannels: row.inputChannels,
    numClasses: row.numClasses,
    classNames: Array.isArray(row.classNames) ? row.classNames.map(String) : [],
    trainCount: row.trainCount,
    testCount: row.testCount,
    fingerprint: row.fingerprint,
    createdAt: row.createdAt,
  };
}
