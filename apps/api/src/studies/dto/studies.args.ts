import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { IsArray, IsEnum, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { JobStatusValue } from '../../common/enums.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../common/pagination.js';
import { StudyKindValue } from '../models/study-enums.js';

const PAGE_SIZE_MESSAGE = `first must be a whole number from 1 to ${MAX_PAGE_SIZE}`;

@ArgsType()
export class StudiesArgs {
  @Field(() => ID, { nullable: true, description: 'Only studies of this dataset.' })
  @IsOptional()
  @IsString()
  datasetId?: string | null;

  @Field(() => StudyKindValue, { nullable: true, description: 'Only studies of this kind.' })
  @IsOptional()
  @IsEnum(StudyKindValue)
  kind?: StudyKindValue | null;

  @Field(() => JobStatusValue, { nullable: true, description: 'Only studies in this state.' })
  @IsOptional()
  @IsEnum(JobStatusValue)
  status?: JobStatusValue | null;

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

@ArgsType()
export class KdFriendlinessArgs {
  @Field(() => ID)
  @IsString()
  akdExperimentId!: string;

  @Field(() => ID)
  @IsString()
  nasExperimentId!: string;

  @Field(() => [Int], {
    nullable: true,
    description: 'Generations the study must cover; any study of the two searches when left out.',
  })
  @IsOptional()
  @IsArray()
  @IsInt({ each: true })
  generations?: number[] | null;
}
