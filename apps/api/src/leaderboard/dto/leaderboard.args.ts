import { ArgsType, Field, Float, ID, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsPositive, IsString, Max, Min } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../common/pagination.js';

@ArgsType()
export class LeaderboardArgs {
  @Field(() => ID)
  @IsString()
  datasetId!: string;

  @Field(() => ID, { nullable: true, description: 'Only experiments that distill from this teacher.' })
  @IsOptional()
  @IsString()
  teacherId?: string | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Only candidates at or below this latency, in milliseconds.',
  })
  @IsOptional()
  @IsPositive({ message: 'maxLatencyMs must be greater than 0 milliseconds' })
  maxLatencyMs?: number | null;

  @Field(() => Int, {
    defaultValue: DEFAULT_PAGE_SIZE,
    description: `Number of entries, from 1 to ${MAX_PAGE_SIZE}.`,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE, { message: `first must be at most ${MAX_PAGE_SIZE} (the maximum page size)` })
  first: number = DEFAULT_PAGE_SIZE;
}
