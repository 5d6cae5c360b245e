import { Field, Float, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsNumber, IsOptional, ValidateNested } from 'class-validator';
import { StudyTrainingModeValue } from '../models/study-enums.js';

// Fields left out take the defaults of `@akd/runner`, which depend on the dataset and the mode,
// so these inputs declare no defaults of their own.

@InputType({
  description: 'Proxy task settings; each field left out takes the quick preset, fitted to the dataset size.',
})
export class StudyProxySettingsInput {
  @Field(() => Int, { nullable: true, description: 'Images in mini-train.' })
  @IsOptional()
  @IsInt()
  trainSize?: number;

  @Field(() => Int, { nullable: true, description: 'Images in mini-val.' })
  @IsOptional()
  @IsInt()
  valSize?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  epochs?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  batchSize?: number;

  @Field(() => Float, { nullable: true, description: 'Peak Adam learning rate.' })
  @IsOptional()
  @IsNumber()
  learningRate?: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Seed of the split, the initial weights and the batch order.',
  })
  @IsOptional()
  @IsInt()
  seed?: number;
}

@InputType({ description: 'Hinton distillation settings; fields left out take the defaults of the context.' })
export class StudyKdSettingsInput {
  @Field(() => Float, { nullable: true, description: 'Weight of the distillation term, in [0, 1].' })
  @IsOptional()
  @IsNumber()
  lambda?: number;

  @Field(() => Float, { nullable: true, description: 'Softmax temperature, greater than 0.' })
  @IsOptional()
  @IsNumber()
  temperature?: number;
}

@InputType({
  description:
    'How a study trains its students. PROXY (default) uses proxy and kd (default lambda 0.5, temperature 2). FULL ' +
    'uses epochs (default 5), batchSize (64), learningRate (0.004) and kd (default lambda 0.9, temperature 4).',
})
export class StudyTrainingInput {
  @Field(() => StudyTrainingModeValue, { defaultValue: StudyTrainingModeValue.PROXY })
  @IsEnum(StudyTrainingModeValue)
  mode: StudyTrainingModeValue = StudyTrainingModeValue.PROXY;

  @Field(() => StudyProxySettingsInput, { nullable: true, description: 'PROXY mode only.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => StudyProxySettingsInput)
  proxy?: StudyProxySettingsInput | null;

  @Field(() => StudyKdSettingsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => StudyKdSettingsInput)
  kd?: StudyKdSettingsInput | null;

  @Field(() => Int, { nullable: true, description: 'FULL mode only.' })
  @IsOptional()
  @IsInt()
  epochs?: number | null;

  @Field(() => Int, { nullable: true, description: 'FULL mode only.' })
  @IsOptional()
  @IsInt()
  batchSize?: number | null;

  @Field(() => Float, { nullable: true, description: 'FULL mode only: peak Adam learning rate.' })
  @IsOptional()
  @IsNumber()
  learningRate?: number | null;
}
