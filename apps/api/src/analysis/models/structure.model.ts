import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { CandidateStatusValue } from '../../common/enums.js';
import { BigIntScalar } from '../../common/scalars.js';

@ObjectType('ArchitecturePoint', { description: 'A candidate placed on the first two principal components.' })
export class ArchitecturePointModel {
  @Field(() => ID)
  candidateId!: string;

  @Field(() => ID)
  experimentId!: string;

  @Field(() => Int, { description: 'Index of the generation that proposed the candidate.' })
  generation!: number;

  @Field(() => CandidateStatusValue)
  status!: CandidateStatusValue;

  @Field(() => Float, { description: 'Coordinate on the first principal component.' })
  x!: number;

  @Field(() => Float, { description: 'Coordinate on the second principal component.' })
  y!: number;

  @Field(() => Float, { nullable: true, description: 'Reward of the search; null until scored.' })
  reward!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Proxy top-1 accuracy, a fraction in [0, 1]; null until scored.',
  })
  accuracy!: number | null;
}

@ObjectType('EncodingLoading', { description: 'Weight of one entry of the one-hot genome encoding.' })
export class EncodingLoadingModel {
  @Field(() => String, { description: 'Encoding entry, e.g. `blocks[2].op=mbconv6`.' })
  label!: string;

  @Field(() => Float)
  weight!: number;
}

@ObjectType('PrincipalComponent', { description: 'One axis of the architecture projection.' })
export class PrincipalComponentModel {
  @Field(() => Int, { description: '1 for the x axis, 2 for the y axis.' })
  index!: number;

  @Field(() => Float, { description: 'Variance of the encodings along this axis.' })
  variance!: number;

  @Field(() => Float, { description: 'Share of the total variance along this axis, in [0, 1].' })
  explainedVarianceRatio!: number;

  @Field(() => [EncodingLoadingModel], {
    description: 'The encoding entries with the largest absolute weights, largest first.',
  })
  topLoadings!: EncodingLoadingModel[];
}

@ObjectType('ArchitecturePca', {
  description:
    'PCA of the one-hot encodings of the canonical genomes (17 entries per block). Genomes that build the same ' +
    'network share a point.',
})
export class ArchitecturePcaModel {
  @Field(() => [ArchitecturePointModel], {
    description: 'Every candidate, by experiment, generation and id.',
  })
  points!: ArchitecturePointModel[];

  @Field(() => [PrincipalComponentModel], { description: 'The x and y axes.' })
  components!: PrincipalComponentModel[];
}

@ObjectType('ChoiceShare', { description: 'How many counted blocks took one value of a block choice.' })
export class ChoiceShareModel {
  @Field(() => String, { description: 'The value, e.g. `mbconv6`, `5`, `0.25` or `identity`.' })
  value!: string;

  @Field(() => Int)
  count!: number;

  @Field(() => Float, {
    description: 'count divided by the blocks counted; the shares of one choice sum to 1.',
  })
  share!: number;
}

@ObjectType('ArchitectureDistribution', {
  description:
    'Choices of the candidates that one generation of an experiment proposed first, counted over their blocks ' +
    'with at least one layer, on the canonical genome (a skip that no layer can apply counts as none).',
})
export class ArchitectureDistributionModel {
  @Field(() => ID)
  experimentId!: string;

  @Field(() => Int)
  generation!: number;

  @Field(() => Int, { description: 'Candidates counted.' })
  genomes!: number;

  @Field(() => Int, { description: 'Blocks counted: blocks with at least one layer, over all candidates.' })
  blocks!: number;

  @Field(() => [ChoiceShareModel], { description: 'Convolution ops: conv, dconv, mbconv3, mbconv6.' })
  ops!: ChoiceShareModel[];

  @Field(() => [ChoiceShareModel])
  kernelSizes!: ChoiceShareModel[];

  @Field(() => [ChoiceShareModel], { description: 'Squeeze-and-excite ratios.' })
  seRatios!: ChoiceShareModel[];

  @Field(() => [ChoiceShareModel], { description: 'Skip ops: none, identity, pool.' })
  skips!: ChoiceShareModel[];
}

@ObjectType('LatencyFlopsPoint', { description: 'A completed candidate with its FLOPs and latency.' })
export class LatencyFlopsPointModel {
  @Field(() => ID)
  candidateId!: string;

  @Field(() => ID)
  experimentId!: string;

  @Field(() => BigIntScalar, { description: 'Multiply-accumulate operations of one forward pass.' })
  flops!: bigint;

  @Field(() => Float, { description: 'Latency in milliseconds.' })
  latencyMs!: number;
}

@ObjectType('LineFit', { description: 'Ordinary least-squares line latencyMs = slope x FLOPs + intercept.' })
export class LineFitModel {
  @Field(() => Float, { description: 'Milliseconds per multiply-accumulate operation.' })
  slopeMsPerFlop!: number;

  @Field(() => Float, { description: 'Intercept in milliseconds.' })
  interceptMs!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Coefficient of determination R^2; null when every latency is equal.',
  })
  rSquared!: number | null;

  @Field(() => Int, { description: 'Points fitted.' })
  n!: number;
}

@ObjectType('LatencyVersusFlops', { description: 'Latency against FLOPs of the completed candidates.' })
export class LatencyVersusFlopsModel {
  @Field(() => [LatencyFlopsPointModel])
  points!: LatencyFlopsPointModel[];

  @Field(() => LineFitModel, {
    nullable: true,
    description: 'Null when there is no fit; unavailableReason gives the reason.',
  })
  fit!: LineFitModel | null;

  @Field(() => String, { nullable: true, description: 'Why there is no fit; null when there is one.' })
  unavailableReason!: string | null;
}

@ObjectType('ArchitectureStructure', {
  description: 'Where the searches of one or more experiments went in the architecture space.',
})
export class ArchitectureStructureModel {
  @Field(() => [ID])
  experimentIds!: string[];

  @Field(() => Int, { description: 'Candidates of the experiments, in any state.' })
  candidateCount!: number;

  @Field(() => ArchitecturePcaModel, {
    nullable: true,
    description: 'Null when there is no projection; pcaUnavailableReason gives the reason.',
  })
  pca!: ArchitecturePcaModel | null;

  @Field(() => String, { nullable: true, description: 'Why there is no projection; null when there is one.' })
  pcaUnavailableReason!: string | null;

  @Field(() => [ArchitectureDistributionModel], { description: 'One entry per experiment and generation.' })
  distributions!: ArchitectureDistributionModel[];

  @Field(() => LatencyVersusFlopsModel)
  latencyVersusFlops!: LatencyVersusFlopsModel;
}
