import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { fromEnumKey, type Experiment } from '@akd/db';
import {
  ExperimentStatusValue,
  LatencyModelValue,
  SearchByValue,
  SearchStrategyValue,
} from '../../common/enums.js';
import { PageInfo } from '../../common/pagination.js';
import { JsonScalar } from '../../common/scalars.js';

@ObjectType('ProxySettings', {
  description: 'Settings of the proxy task that scores each candidate quickly.',
})
export class ProxySettingsModel {
  @Field(() => Int, { description: 'Images in mini-train, drawn stratified from the training split.' })
  trainSize!: number;

  @Field(() => Int, { description: 'Images in mini-val, drawn from the rest of the training split.' })
  valSize!: number;

  @Field(() => Int)
  epochs!: number;

  @Field(() => Int)
  batchSize!: number;

  @Field(() => Float, { description: 'Peak Adam learning rate, decayed by a cosine schedule.' })
  learningRate!: number;

  @Field(() => Int, { description: 'Seed of the split, the initial weights and the batch order.' })
  seed!: number;
}

@ObjectType('KdSettings', { description: 'Hinton distillation settings of the proxy task.' })
export class KdSettingsModel {
  @Field(() => Float, {
    description: 'Weight of the distillation term in [0, 1]; 1 - lambda weights the hard labels.',
  })
  lambda!: number;

  @Field(() => Float, { description: 'Softmax temperature, greater than 0.' })
  temperature!: number;
}

@ObjectType('ExperimentProgress', { description: 'Candidate counts of an experiment by state.' })
export class ExperimentProgressModel {
  @Field(() => Int, { description: 'Maximum number of candidates to evaluate.' })
  budget!: number;

  @Field(() => Int)
  completed!: number;

  @Field(() => Int)
  failed!: number;

  @Field(() => Int, { description: 'Candidates proposed but not finished: pending or in training.' })
  inProgress!: number;
}

@ObjectType('Experiment', {
  description: 'A search for the student architecture that learns best from a teacher.',
})
export class ExperimentModel {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => ID)
  datasetId!: string;

  @Field(() => ID, { nullable: true, description: 'Teacher to distill from; null for a hard-label search.' })
  teacherId!: string | null;

  @Field(() => SearchStrategyValue)
  strategy!: SearchStrategyValue;

  @Field(() => JsonScalar, {
    description: 'Options of the strategy, e.g. its learning rate or population size.',
  })
  strategyOptions!: unknown;

  @Field(() => SearchByValue)
  searchBy!: SearchByValue;

  @Field(() => LatencyModelValue)
  latencyModel!: LatencyModelValue;

  @Field(() => ID, { nullable: true })
  latencyProfileId!: string | null;

  @Field(() => Float, { description: 'Latency target T of the reward, in milliseconds.' })
  latencyTargetMs!: number;

  @Field(() => Float, { description: 'Reward exponent applied when the latency is at or below the target.' })
  rewardAlpha!: number;

  @Field(() => Float, { description: 'Reward exponent applied when the latency is above the target.' })
  rewardBeta!: number;

  @Field(() => JsonScalar, {
    description: 'The search space: stages, block choices, input shape and classes.',
  })
  searchSpace!: unknown;

  @Field(() => ProxySettingsModel)
  proxySettings!: ProxySettingsModel;

  @Field(() => KdSettingsModel)
  kdSettings!: KdSettingsModel;

  @Field(() => Int, { description: 'Maximum number of distinct candidates to evaluate.' })
  budget!: number;

  @Field(() => Int, { description: 'Candidates proposed per generation.' })
  generationSize!: number;

  @Field(() => Int)
  seed!: number;

  @Field(() => ExperimentStatusValue)
  status!: ExperimentStatusValue;

  @Field(() => String, { nullable: true, description: 'Why the experiment failed, when status is FAILED.' })
  error!: string | null;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType()
export class ExperimentEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => ExperimentModel)
  node!: ExperimentModel;
}

@ObjectType({ description: 'A page of experiments, newest first.' })
export class ExperimentConnection {
  @Field(() => [ExperimentEdge])
  edges!: ExperimentEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Number of experiments that match the filter, across pages.' })
  totalCount!: number;
}

function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function toExperimentModel(row: Experiment): ExperimentModel {
  return {
    id: row.id,
    name: row.name,
    datasetId: row.datasetId,
    teacherId: row.teacherId,
    strategy: fromEnumKey(row.strategy) as SearchStrategyValue,
    strategyOptions: row.strategyOptions,
    searchBy: fromEnumKey(row.searchBy) as SearchByValue,
    latencyModel: fromEnumKey(row.latencyModel) as LatencyModelValue,
    latencyProfileId: row.latencyProfileId,
    latencyTargetMs: row.latencyTargetMs,
    rewardAlpha: row.rewardAlpha,
    rewardBeta: row.rewardBeta,
    searchSpace: row.searchSpace,
    proxySettings: asObject(row.proxySettings) as unknown as ProxySettingsModel,
    kdSettings: asObject(row.kdSettings) as unknown as KdSettingsModel,
    budget: row.budget,
    generationSize: row.generationSize,
    seed: row.seed,
    status: fromEnumKey(row.status) as ExperimentStatusValue,
    error: row.error,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
