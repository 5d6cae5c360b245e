import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { fromEnumKey, type Candidate } from '@akd/db';
import { describeGenome, type Genome, type SearchSpace } from '@akd/search-space';
import { CandidateStatusValue, LatencyModelValue } from '../../common/enums.js';
import { PageInfo } from '../../common/pagination.js';
import { BigIntScalar, JsonScalar } from '../../common/scalars.js';

@ObjectType('Candidate', {
  description: 'A student architecture proposed by the search, and its proxy-task result.',
})
export class CandidateModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  experimentId!: string;

  @Field(() => Int, { description: 'Index of the generation that proposed the candidate.' })
  generation!: number;

  @Field(() => String, { description: 'Hash of the canonical genome, unique within the experiment.' })
  genomeHash!: string;

  @Field(() => JsonScalar, { description: 'The architecture as the search space encodes it.' })
  genome!: unknown;

  @Field(() => String, { nullable: true, description: 'One-line description of the architecture.' })
  architecture!: string | null;

  @Field(() => BigIntScalar, { description: 'Number of parameters.' })
  params!: bigint;

  @Field(() => BigIntScalar, { description: 'Multiply-accumulate operations of one forward pass.' })
  flops!: bigint;

  @Field(() => Float, { nullable: true, description: 'Latency in milliseconds; null until known.' })
  latencyMs!: number | null;

  @Field(() => LatencyModelValue)
  latencyModel!: LatencyModelValue;

  @Field(() => Float, {
    nullable: true,
    description: 'Top-1 accuracy on the proxy task, a fraction in [0, 1].',
  })
  proxyAccuracy!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Top-5 accuracy on the proxy task, a fraction in [0, 1].',
  })
  proxyTop5!: number | null;

  @Field(() => Float, { nullable: true, description: 'Reward ACC x (LAT/T)^w of the search.' })
  reward!: number | null;

  @Field(() => CandidateStatusValue)
  status!: CandidateStatusValue;

  @Field(() => Int, { description: 'Evaluation attempts so far.' })
  attempts!: number;

  @Field(() => Int, { nullable: true, description: 'Proxy training time in milliseconds.' })
  trainMs!: number | null;

  @Field(() => String, { nullable: true, description: 'Compute backend that trained the candidate.' })
  backend!: string | null;

  @Field(() => String, { nullable: true, description: 'Host that trained the candidate.' })
  host!: string | null;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => JsonScalar, { nullable: true, description: 'Full evaluation result, e.g. per-epoch losses.' })
  metrics!: unknown;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType()
export class CandidateEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => CandidateModel)
  node!: CandidateModel;
}

@ObjectType({ description: 'A page of candidates.' })
export class CandidateConnection {
  @Field(() => [CandidateEdge])
  edges!: CandidateEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Number of candidates that match, across pages.' })
  totalCount!: number;
}

/** Describes the genome in `space`, or returns null for a genome that the space rejects. */
function describe(space: SearchSpace | null, genome: unknown): string | null {
  if (space === null) return null;
  try {
    return describeGenome(space, genome as Genome);
  } catch {
    return null;
  }
}

/** Maps a candidate row; `space` is the search space of its experiment, for the description. */
export function toCandidateModel(row: Candidate, space: SearchSpace | null): CandidateModel {
  return {
    id: row.id,
    experimentId: row.experimentId,
    generation: row.generation,
    genomeHash: row.genomeHash,
    genome: row.genome,
    architecture: describe(space, row.genome),
    params: row.params,
    flops: row.flops,
    latencyMs: row.latencyMs,
    latencyModel: fromEnumKey(row.latencyModel) as LatencyModelValue,
    proxyAccuracy: row.proxyAccuracy,
    proxyTop5: row.proxyTop5,
    reward: row.reward,
    status: fromEnumKey(row.status) as CandidateStatusValue,
    attempts: row.attempts,
    trainMs: row.trainMs,
    backend: row.backend,
    host: row.host,
    error: row.error,
    metrics: row.metrics,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    createdAt: row.createdAt,
  };
}
