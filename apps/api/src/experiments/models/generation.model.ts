import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { fromEnumKey, type Generation } from '@akd/db';
import { JobStatusValue } from '../../common/enums.js';
import { JsonScalar } from '../../common/scalars.js';

@ObjectType('Generation', { description: 'One round of proposals of the search strategy and their scores.' })
export class GenerationModel {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: 'Zero-based position within the experiment.' })
  index!: number;

  @Field(() => JobStatusValue)
  status!: JobStatusValue;

  @Field(() => Float, { nullable: true })
  rewardMean!: number | null;

  @Field(() => Float, { nullable: true })
  rewardMax!: number | null;

  @Field(() => Float, { nullable: true })
  rewardMin!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Mean proxy accuracy of the generation, a fraction in [0, 1].',
  })
  accuracyMean!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Entropy of the controller policy (policy-gradient search only).',
  })
  entropy!: number | null;

  @Field(() => JsonScalar, {
    nullable: true,
    description: 'Strategy-specific metrics, e.g. baseline or mutation rate.',
  })
  strategyMetrics!: unknown;

  @Field(() => JsonScalar, { nullable: true, description: 'Summary written when the generation completes.' })
  stats!: unknown;

  @Field(() => [ID], { description: 'Candidate of each proposal, in proposal order; ids may repeat.' })
  candidateIds!: string[];

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

export function toGenerationModel(row: Generation): GenerationModel {
  return {
    id: row.id,
    index: row.index,
    status: fromEnumKey(row.status) as JobStatusValue,
    rewardMean: row.rewardMean,
    rewardMax: row.rewardMax,
    rewardMin: row.rewardMin,
    accuracyMean: row.accuracyMean,
    entropy: row.entropy,
    strategyMetrics: row.strategyMetrics,
    stats: row.stats,
    candidateIds: Array.isArray(row.candidateIds) ? row.candidateIds.map(String) : [],
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
