import { Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsEnum,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  ValidateNested,
} from 'class-validator';
import { SearchStrategyValue } from '../../common/enums.js';
import { JsonScalar } from '../../common/scalars.js';
import { RewardInput } from '../../experiments/dto/create-experiment.input.js';
import { SimilaritySplitValue } from '../models/study-enums.js';
import { StudyKdSettingsInput, StudyProxySettingsInput, StudyTrainingInput } from './study-settings.input.js';

const NAME_DESCRIPTION = 'Label of the study (1-200 characters); by default one is built from the members.';

@InputType()
export class CreateSimilarityStudyInput {
  @Field(() => String, { nullable: true, description: NAME_DESCRIPTION })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string | null;

  @Field(() => [ID], { description: 'At least two ready teachers of one dataset.' })
  @IsArray()
  @IsString({ each: true })
  teacherIds!: string[];

  @Field(() => SimilaritySplitValue, { defaultValue: SimilaritySplitValue.TEST })
  @IsEnum(SimilaritySplitValue)
  split: SimilaritySplitValue = SimilaritySplitValue.TEST;

  @Field(() => Boolean, {
    defaultValue: true,
    description: 'Whether the labels join the comparison as the GT source, smoothed by labelSmoothing.',
  })
  @IsBoolean()
  includeGroundTruth: boolean = true;

  @Field(() => Float, {
    defaultValue: 1,
    description: "Softmax temperature applied to every teacher's logits.",
  })
  @IsNumber()
  temperature: number = 1;

  @Field(() => Float, {
    nullable: true,
    description: 'Label smoothing of GT, in (0, 1]; default 0.01. Only with includeGroundTruth.',
  })
  @IsOptional()
  @IsNumber()
  labelSmoothing?: number | null;

  @Field(() => StudyProxySettingsInput, {
    nullable: true,
    description: 'Subsets of the MINI_TRAIN and MINI_VAL splits; only with those splits.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => StudyProxySettingsInput)
  proxy?: StudyProxySettingsInput | null;
}

@InputType({ description: 'The best completed candidates by reward of each experiment.' })
export class ExperimentStudentsInput {
  @Field(() => [ID])
  @IsArray()
  @IsString({ each: true })
  experimentIds!: string[];

  @Field(() => Int, { description: 'Candidates per experiment.' })
  @IsInt()
  topK!: number;
}

@InputType({ description: 'Genomes sampled from the search space with a seeded generator.' })
export class RandomStudentsInput {
  @Field(() => Int)
  @IsInt()
  count!: number;

  @Field(() => Int, { defaultValue: 1 })
  @IsInt()
  seed: number = 1;
}

@InputType({
  description:
    'Students of a study. Every selector given adds students; together they need two distinct architectures.',
})
export class StudentSelectionInput {
  @Field(() => [JsonScalar], { nullable: true, description: 'Explicit genomes, checked against space.' })
  @IsOptional()
  @IsArray()
  @IsObject({ each: true })
  genomes?: Record<string, unknown>[] | null;

  @Field(() => ExperimentStudentsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ExperimentStudentsInput)
  fromExperiments?: ExperimentStudentsInput | null;

  @Field(() => RandomStudentsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => RandomStudentsInput)
  random?: RandomStudentsInput | null;

  @Field(() => JsonScalar, {
    nullable: true,
    description: 'Search space of genomes and random; by default the standard space of the dataset.',
  })
  @IsOptional()
  @IsObject()
  space?: Record<string, unknown> | null;
}

@InputType()
export class CreateRankingStudyInput {
  @Field(() => String, { nullable: true, description: NAME_DESCRIPTION })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string | null;

  @Field(() => [ID], { description: 'At least two ready teachers of one dataset.' })
  @IsArray()
  @IsString({ each: true })
  teacherIds!: string[];

  @Field(() => Boolean, {
    defaultValue: true,
    description: 'Whether hard-label training joins as the GT column.',
  })
  @IsBoolean()
  includeGroundTruth: boolean = true;

  @Field(() => StudentSelectionInput)
  @ValidateNested()
  @Type(() => StudentSelectionInput)
  students!: StudentSelectionInput;

  @Field(() => Int, {
    nullable: true,
    description: 'Number of training seeds, 1 to 20, used as seeds 1..n; default 3. Give seeds or seedList.',
  })
  @IsOptional()
  @IsInt()
  seeds?: number | null;

  @Field(() => [Int], { nullable: true, description: 'Explicit training seeds, in place of seeds.' })
  @IsOptional()
  @IsArray()
  @IsInt({ each: true })
  seedList?: number[] | null;

  @Field(() => StudyTrainingInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => StudyTrainingInput)
  training?: StudyTrainingInput | null;
}

@InputType({ description: 'Settings shared by the searches of an ablation study.' })
export class AblationSearchInput {
  @Field(() => SearchStrategyValue, { defaultValue: SearchStrategyValue.POLICY_GRADIENT })
  @IsEnum(SearchStrategyValue)
  strategy: SearchStrategyValue = SearchStrategyValue.POLICY_GRADIENT;

  @Field(() => JsonScalar, {
    nullable: true,
    description: 'Options object of the strategy; its defaults otherwise.',
  })
  @IsOptional()
  @IsObject()
  strategyOptions?: Record<string, unknown> | null;

  @Field(() => Int, { description: 'Distinct candidates each search evaluates.' })
  @IsInt()
  budget!: number;

  @Field(() => Int, { description: 'Candidates proposed per generation.' })
  @IsInt()
  generationSize!: number;

  @Field(() => StudyProxySettingsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => StudyProxySettingsInput)
  proxy?: StudyProxySettingsInput | null;

  @Field(() => StudyKdSettingsInput, {
    nullable: true,
    description: 'Hinton settings of the distillation searches; default lambda 0.5, temperature 2.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => StudyKdSettingsInput)
  kd?: StudyKdSettingsInput | null;

  @Field(() => JsonScalar, {
    nullable: true,
    description: 'Search space; by default the standard space of the dataset.',
  })
  @IsOptional()
  @IsObject()
  space?: Record<string, unknown> | null;

  @Field(() => Int, { nullable: true, description: 'Seed of the searches; default 1.' })
  @IsOptional()
  @IsInt()
  seed?: number | null;

  @Field(() => RewardInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => RewardInput)
  reward?: RewardInput | null;
}

@InputType({ description: 'Final training of the best student of each search.' })
export class AblationFinalTrainingInput {
  @Field(() => Int)
  @IsInt()
  epochs!: number;

  @Field(() => Int, { nullable: true, description: 'Default 64.' })
  @IsOptional()
  @IsInt()
  batchSize?: number | null;

  @Field(() => Float, { nullable: true, description: 'Peak Adam learning rate; default 0.004.' })
  @IsOptional()
  @IsNumber()
  learningRate?: number | null;

  @Field(() => StudyKdSettingsInput, {
    nullable: true,
    description: 'Hinton settings of the distilled trainings; default lambda 0.9, temperature 4.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => StudyKdSettingsInput)
  kd?: StudyKdSettingsInput | null;

  @Field(() => Int, {
    nullable: true,
    description: "Seed of weights and batch order; default the search's proxy seed.",
  })
  @IsOptional()
  @IsInt()
  seed?: number | null;
}

@InputType()
export class CreateAblationStudyInput {
  @Field(() => String, { nullable: true, description: NAME_DESCRIPTION })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string | null;

  @Field(() => ID, { description: 'Ready teacher of the distillation searches and trainings.' })
  @IsString()
  teacherId!: string;

  @Field(() => [Float], { description: 'Latency targets in milliseconds; one row of the table each.' })
  @IsArray()
  @IsNumber({}, { each: true })
  latencyTargetsMs!: number[];

  @Field(() => AblationSearchInput, {
    description:
      'A matching search (same settings and target) is reused; otherwise one is created and queued.',
  })
  @ValidateNested()
  @Type(() => AblationSearchInput)
  search!: AblationSearchInput;

  @Field(() => AblationFinalTrainingInput)
  @ValidateNested()
  @Type(() => AblationFinalTrainingInput)
  finalTraining!: AblationFinalTrainingInput;
}

@InputType()
export class CreateKdFriendlinessStudyInput {
  @Field(() => String, { nullable: true, description: NAME_DESCRIPTION })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string | null;

  @Field(() => ID, {
    description: 'Search that scored candidates by distillation; its teacher distills the students.',
  })
  @IsString()
  akdExperimentId!: string;

  @Field(() => ID, {
    description: 'Hard-label search with the same dataset, search space, latency target and proxy settings.',
  })
  @IsString()
  nasExperimentId!: string;

  @Field(() => [Int], { description: 'Generation indices, from 0, completed in both searches.' })
  @IsArray()
  @IsInt({ each: true })
  generations!: number[];

  @Field(() => Int, { description: 'Students per generation and search: the best by reward.' })
  @IsInt()
  topK!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Number of training seeds, used as seeds 1..n; default 1. Give seeds or seedList.',
  })
  @IsOptional()
  @IsInt()
  seeds?: number | null;

  @Field(() => [Int], { nullable: true, description: 'Explicit training seeds, in place of seeds.' })
  @IsOptional()
  @IsArray()
  @IsInt({ each: true })
  seedList?: number[] | null;

  @Field(() => StudyTrainingInput, {
    nullable: true,
    description: 'By default proxy training with the proxy and KD settings of the AKD search.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => StudyTrainingInput)
  training?: StudyTrainingInput | null;
}
