import { ArgsType, Field, Float, ID, Int } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEnum,
  IsInt,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  Max,
  Min,
} from 'class-validator';
import { DistillationMethodValue } from '../../common/enums.js';
import { MAX_STRUCTURE_EXPERIMENTS } from '../structure.service.js';

/** Maximum number of latency buckets of one leaderboard query. */
export const MAX_LATENCY_BUCKETS = 10;

/** Maximum number of entries per teacher and bucket. */
export const MAX_ENTRIES_PER_BUCKET = 20;

@ArgsType()
export class ExperimentStructureArgs {
  @Field(() => [ID], {
    description: `Experiments to combine, 1 to ${MAX_STRUCTURE_EXPERIMENTS}, whose search spaces encode genomes alike.`,
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'experimentIds must list at least one experiment' })
  @ArrayMaxSize(MAX_STRUCTURE_EXPERIMENTS, {
    message: `experimentIds must list at most ${MAX_STRUCTURE_EXPERIMENTS} experiments`,
  })
  @IsString({ each: true })
  experimentIds!: string[];
}

@ArgsType()
export class ProxyFidelityArgs {
  @Field(() => ID)
  @IsString()
  experimentId!: string;

  @Field(() => DistillationMethodValue, {
    nullable: true,
    description:
      'Method of the final models; by default HINTON for a distillation search, HARD_LABEL otherwise.',
  })
  @IsOptional()
  @IsEnum(DistillationMethodValue)
  method?: DistillationMethodValue | null;
}

@ArgsType()
export class TeacherAdviceArgs {
  @Field(() => ID)
  @IsString()
  datasetId!: string;

  @Field(() => Float, { description: 'Latency target in milliseconds, greater than 0.' })
  @IsNumber()
  @IsPositive({ message: 'latencyTargetMs must be greater than 0 milliseconds' })
  latencyTargetMs!: number;
}

@ArgsType()
export class TeacherLeaderboardsArgs {
  @Field(() => ID)
  @IsString()
  datasetId!: string;

  @Field(() => [Float], {
    description:
      `Upper bounds of the latency buckets in milliseconds, 1 to ${MAX_LATENCY_BUCKETS} distinct values greater than 0. ` +
      'Bucket i holds latencies above bound i-1 (0 for the first) and at most bound i.',
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'bucketsMs must list at least one bound' })
  @ArrayMaxSize(MAX_LATENCY_BUCKETS, { message: `bucketsMs must list at most ${MAX_LATENCY_BUCKETS} bounds` })
  @IsNumber({}, { each: true })
  @IsPositive({ each: true, message: 'each of bucketsMs must be greater than 0 milliseconds' })
  bucketsMs!: number[];

  @Field(() => Int, {
    defaultValue: 3,
    description: `Students per teacher and bucket, from 1 to ${MAX_ENTRIES_PER_BUCKET}.`,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_ENTRIES_PER_BUCKET)
  perBucket: number = 3;
}
