import { Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsEnum,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsPositive,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { PROXY_PRESETS } from '@akd/proxy-task';
import { MAX_BUDGET } from '@akd/runner';
import { rewardPresets } from '@akd/search';
import { LatencyModelValue, SearchByValue, SearchStrategyValue } from '../../common/enums.js';
import { JsonScalar } from '../../common/scalars.js';

const QUICK = PROXY_PRESETS.quick;

@InputType({ description: 'Proxy task settings; the defaults are the `quick` preset for CPU machines.' })
export class ProxySettingsInput {
  @Field(() => Int, { defaultValue: QUICK.trainSize, description: 'Images in mini-train (at least 1).' })
  @IsInt()
  @Min(1)
  trainSize: number = QUICK.trainSize;

  @Field(() => Int, { defaultValue: QUICK.valSize, description: 'Images in mini-val (at least 1).' })
  @IsInt()
  @Min(1)
  valSize: number = QUICK.valSize;

  @Field(() => Int, { defaultValue: QUICK.epochs, description: 'Proxy training epochs (at least 1).' })
  @IsInt()
  @Min(1)
  epochs: number = QUICK.epochs;

  @Field(() => Int, { defaultValue: QUICK.batchSize, description: 'Images per batch (at least 1).' })
  @IsInt()
  @Min(1)
  batchSize: number = QUICK.batchSize;

  @Field(() => Float, {
    defaultValue: QUICK.learningRate,
    description: 'Peak Adam learning rate, between 0 and 1.',
  })
  @IsNumber()
  learningRate: number = QUICK.learningRate;

  @Field(() => Int, {
    defaultValue: QUICK.seed,
    description: 'Seed of the split, initial weights and batch order.',
  })
  @IsInt()
  seed: number = QUICK.seed;
}

@InputType({ description: 'Hinton distillation settings of the proxy task.' })
export class KdSettingsInput {
  @Field(() => Float, { defaultValue: 0.5, description: 'Weight of the distillation term, in [0, 1].' })
  @IsNumber()
  lambda: number = 0.5;

  @Field(() => Float, {
    defaultValue: 2,
    description: 'Softmax temperature, greater than 0 (typically 1 to 8).',
  })
  @IsNumber()
  temperature: number = 2;
}

@InputType({
  description:
    'Exponents of the MnasNet reward ACC x (LAT/T)^w. The defaults are the soft preset, under which a model ' +
    'twice as slow as the target loses about 5% reward.',
})
export class RewardInput {
  @Field(() => Float, { defaultValue: rewardPresets.soft.alpha, description: 'Exponent w when LAT <= T.' })
  @IsNumber()
  alpha: number = rewardPresets.soft.alpha;

  @Field(() => Float, { defaultValue: rewardPresets.soft.beta, description: 'Exponent w when LAT > T.' })
  @IsNumber()
  beta: number = rewardPresets.soft.beta;
}

@InputType()
export class CreateExperimentInput {
  @Field(() => String, { description: 'Label of the experiment (1-200 characters).' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @Field(() => ID)
  @IsString()
  datasetId!: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'Ready teacher of the same dataset; required when searchBy is DISTILLATION, ignored otherwise.',
  })
  @IsOptional()
  @IsString()
  teacherId?: string | null;

  @Field(() => SearchByValue, { defaultValue: SearchByValue.DISTILLATION })
  @IsEnum(SearchByValue)
  searchBy: SearchByValue = SearchByValue.DISTILLATION;

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

  @Field(() => LatencyModelValue, {
    defaultValue: LatencyModelValue.MEASURED,
    description:
      'How candidate latency is obtained. MEASURED times each trained candidate on the worker that trains it. ' +
      'TABLE sums the per-layer latencies of latencyProfileId, and FLOPS applies its linear fit of latency ' +
      'against FLOPs; both predict without running the candidate.',
  })
  @IsEnum(LatencyModelValue)
  latencyModel: LatencyModelValue = LatencyModelValue.MEASURED;

  @Field(() => ID, {
    nullable: true,
    description:
      "Latency profile that TABLE and FLOPS predict from; required for them and unset for MEASURED. It must be measured at the dataset's " +
      'input shape; for TABLE it must contain every layer configuration of the search space, for FLOPS it must have a FLOPs fit.',
  })
  @IsOptional()
  @IsString()
  latencyProfileId?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Backend whose latency the experiment optimizes, e.g. wasm. TABLE and FLOPS require the profile to be measured on it; ' +
      "unset accepts the profile's backend. Not allowed with MEASURED, which uses the backend of each training worker.",
  })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  latencyBackend?: string | null;

  @Field(() => Float, { description: 'Latency target T of the reward, in milliseconds; greater than 0.' })
  @IsNumber()
  @IsPositive({ message: 'latencyTargetMs must be greater than 0 milliseconds' })
  latencyTargetMs!: number;

  @Field(() => Int, {
    defaultValue: 20,
    description: `Distinct candidates to evaluate, from 1 to ${MAX_BUDGET}.`,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_BUDGET)
  budget: number = 20;

  @Field(() => Int, { defaultValue: 5, description: 'Candidates proposed per generation (at least 1).' })
  @IsInt()
  @Min(1)
  generationSize: number = 5;

  @Field(() => Int, { defaultValue: 1, description: 'Seed of the search (a signed 32-bit integer).' })
  @IsInt()
  seed: number = 1;

  @Field(() => RewardInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => RewardInput)
  reward?: RewardInput | null;

  @Field(() => ProxySettingsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProxySettingsInput)
  proxy?: ProxySettingsInput | null;

  @Field(() => KdSettingsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => KdSettingsInput)
  kd?: KdSettingsInput | null;

  @Field(() => JsonScalar, {
    nullable: true,
    description: 'Search space; by default the standard space for the dataset input shape and classes.',
  })
  @IsOptional()
  @IsObject()
  space?: Record<string, unknown> | null;
}
