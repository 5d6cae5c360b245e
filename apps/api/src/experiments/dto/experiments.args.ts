import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { CandidateStatusValue, DistillationMethodValue, ExperimentStatusValue } from '../../common/enums.js';
import { registerEnumType } from '@nestjs/graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../common/pagination.js';
import { FinalTrainingSettingsInput } from '../../trained-models/dto/final-training-settings.input.js';

const PAGE_SIZE_MESSAGE = `first must be a whole number from 1 to ${MAX_PAGE_SIZE} (the maximum page size); follow endCursor for more`;

@InputType({ description: 'Conditions that every listed experiment meets.' })
export class ExperimentFilterInput {
  @Field(() => [ExperimentStatusValue], { nullable: true, description: 'Any of these statuses.' })
  @IsOptional()
  @IsEnum(ExperimentStatusValue, { each: true })
  status?: ExperimentStatusValue[] | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsString()
  datasetId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsString()
  teacherId?: string | null;
}

@ArgsType()
export class ExperimentsArgs {
  @Field(() => ExperimentFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ExperimentFilterInput)
  filter?: ExperimentFilterInput | null;

  @Field(() => Int, {
    defaultValue: DEFAULT_PAGE_SIZE,
    description: `Page size, from 1 to ${MAX_PAGE_SIZE}.`,
  })
  @IsInt({ message: PAGE_SIZE_MESSAGE })
  @Min(1, { message: PAGE_SIZE_MESSAGE })
  @Max(MAX_PAGE_SIZE, { message: PAGE_SIZE_MESSAGE })
  first: number = DEFAULT_PAGE_SIZE;

  @Field(() => String, { nullable: true, description: 'endCursor of the previous page.' })
  @IsOptional()
  @IsString()
  after?: string | null;
}

/** Sort orders of the candidates of an experiment. Ties are broken by candidate id. */
export enum CandidateOrderValue {
  REWARD_DESC = 'reward-desc',
  ACCURACY_DESC = 'accuracy-desc',
  LATENCY_ASC = 'latency-asc',
  PARAMS_ASC = 'params-asc',
  CREATED_ASC = 'created-asc',
}

registerEnumType(CandidateOrderValue, {
  name: 'CandidateOrder',
  description: 'Sort order of candidates. Candidates without the sorted value (not yet scored) come last.',
});

@ArgsType()
export class CandidatesArgs {
  @Field(() => Int, {
    defaultValue: DEFAULT_PAGE_SIZE,
    description: `Page size, from 1 to ${MAX_PAGE_SIZE}.`,
  })
  @IsInt({ message: PAGE_SIZE_MESSAGE })
  @Min(1, { message: PAGE_SIZE_MESSAGE })
  @Max(MAX_PAGE_SIZE, { message: PAGE_SIZE_MESSAGE })
  first: number = DEFAULT_PAGE_SIZE;

  @Field(() => String, {
    nullable: true,
    description: 'endCursor of the previous page, obtained with the same orderBy.',
  })
  @IsOptional()
  @IsString()
  after?: string | null;

  @Field(() => CandidateOrderValue, { defaultValue: CandidateOrderValue.REWARD_DESC })
  @IsEnum(CandidateOrderValue)
  orderBy: CandidateOrderValue = CandidateOrderValue.REWARD_DESC;

  @Field(() => CandidateStatusValue, { nullable: true, description: 'Only candidates in this state.' })
  @IsOptional()
  @IsEnum(CandidateStatusValue)
  status?: CandidateStatusValue | null;
}

/** Largest k of `bestCandidates` and `trainFinalModels`. */
export const MAX_TOP_K = 50;

@ArgsType()
export class TrainFinalModelsArgs {
  @Field(() => ID)
  @IsString()
  experimentId!: string;

  @Field(() => Int, {
    defaultValue: 3,
    description: `Number of best candidates by reward to train, from 1 to ${MAX_TOP_K}.`,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_TOP_K)
  topK: number = 3;

  @Field(() => DistillationMethodValue, { defaultValue: DistillationMethodValue.HINTON })
  @IsEnum(DistillationMethodValue)
  method: DistillationMethodValue = DistillationMethodValue.HINTON;

  @Field(() => Int, { defaultValue: 30, description: 'Training epochs, from 1 to 500.' })
  @IsInt()
  @Min(1)
  @Max(500)
  epochs: number = 30;

  @Field(() => FinalTrainingSettingsInput, {
    nullable: true,
    description:
      'Overrides of the recipe; recorded in each TrainedModel.settings with the defaults filled in.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => FinalTrainingSettingsInput)
  settings?: FinalTrainingSettingsInput | null;
}
