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

/** Maximum number of genome descriptions kept; beyond it the description stored first is dropped. */
const MAX_DESCRIPTIONS = 10_000;

/**
 * Descriptions by experiment id and genome hash. A description depends only on the experiment's
 * search space and the candidate's genome, and neither changes after it is recorded, so an entry
 * never goes stale. Describing a genome validates and expands it, which costs more than the rest
 * of a candidate's mapping, and pages are read again and again.
 */
const descriptions = new Map<string, string | null>();

/** Describes the genome in `space`, or returns null for a genome that the space rejects. */
function describe(row: Candidate, space: SearchSpace | null): string | null {
  if (space === null) return null;
  const key = `${row.experimentId}/${row.genomeHash}`;
  const known = descriptions.get(key);
  if (known !== undefined) return known;
  let description: string | null;
  try {
    description = describeGenome(space, row.genome as unknown as Genome);
  } catch {
    description = null;
  }
  if (descriptions.size >= MAX_DESCRIPTIONS) descriptions.delete(descriptions.keys().next().value as string);
  descriptions.set(key, description);
  return description;
}

/**
 * A {@link CandidateModel} whose `architecture` is described when a resolver first reads it. The
 * getter lives on the prototype, so each row costs one plain object.
 */
class CandidateView implements CandidateModel {
  id: string;
  experimentId: string;
  generation: number;
  genomeHash: string;
  genome: unknown;
  params: bigint;
  flops: bigint;
  latencyMs: number | null;
  latencyModel: LatencyModelValue;
  proxyAccuracy: number | null;
  proxyTop5: number | null;
  reward: number | null;
  status: CandidateStatusValue;
  attempts: number;
  trainMs: number | null;
  backend: string | null;
  host: string | null;
  error: string | null;
  metrics: unknown;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;

  constructor(
    private readonly row: Candidate,
    private readonly space: SearchSpace | null,
  ) {
    this.id = row.id;
    this.experimentId = row.experimentId;
    this.generation = row.generation;
    this.genomeHash = row.genomeHash;
    this.genome = row.genome;
    this.params = row.params;
    this.flops = row.flops;
    this.latencyMs = row.latencyMs;
    this.latencyModel = fromEnumKey(row.latencyModel) as LatencyModelValue;
    this.proxyAccuracy = row.proxyAccuracy;
    this.proxyTop5 = row.proxyTop5;
    this.reward = row.reward;
    this.status = fromEnumKey(row.status) as CandidateStatusValue;
    this.attempts = row.attempts;
    this.trainMs = row.trainMs;
    this.backend = row.backend;
    this.host = row.host;
    this.error = row.error;
    this.metrics = row.metrics;
    this.startedAt = row.startedAt;
    this.finishedAt = row.finishedAt;
    this.createdAt = row.createdAt;
  }

  get architecture(): string | null {
    return describe(this.row, this.space);
  }
}

/**
 * Maps a candidate row; `space` is the search space of its experiment, for the description, which
 * is computed when a resolver reads `architecture`.
 */
export function toCandidateModel(row: Candidate, space: SearchSpace | null): CandidateModel {
  return new CandidateView(row, space);
}
