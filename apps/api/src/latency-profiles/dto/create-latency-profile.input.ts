import { Field, InputType, Int } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsDate,
  IsEnum,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Min,
} from 'class-validator';
import { LatencySourceValue } from '../../common/enums.js';
import { JsonScalar } from '../../common/scalars.js';

@InputType()
export class CreateLatencyProfileInput {
  @Field(() => String, { description: 'Unique name (1-100 characters).' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @Field(() => String, { description: 'Device the latencies were measured on (1-200 characters).' })
  @IsString()
  @Length(1, 200)
  device!: string;

  @Field(() => String, { description: 'Inference backend, e.g. wasm or webgl (1-50 characters).' })
  @IsString()
  @Length(1, 50)
  backend!: string;

  @Field(() => [Int], { description: '[height, width, channels] of the measured input, each at least 1.' })
  @ArrayMinSize(3)
  @ArrayMaxSize(3)
  @IsInt({ each: true })
  @Min(1, { each: true })
  inputShape!: number[];

  @Field(() => JsonScalar, {
    description:
      'Non-empty object from operation key to latency in milliseconds; each latency is a finite number >= 0. ' +
      'A TABLE experiment predicts a candidate latency as the sum of the entries of its layers, so the keys must be ' +
      'those the engine enumerates for the search space (for example "layer op=mbconv6 k=5 s=2 in=14x14x24 exp=144 ' +
      'out=40 se=6 skip=pool").',
  })
  @IsObject()
  table!: Record<string, unknown>;

  @Field(() => JsonScalar, {
    nullable: true,
    description:
      'Linear fit of latency against FLOPs (multiply-adds per image), for FLOPS experiments: { "slopeMsPerFlop": 2e-7, ' +
      '"interceptMs": 0.3, "r2": 0.95 }, all finite numbers.',
  })
  @IsOptional()
  @IsObject()
  flopsFit?: Record<string, unknown> | null;

  @Field(() => Date, { nullable: true, description: 'When the latencies were measured; now by default.' })
  @IsOptional()
  @IsDate()
  measuredAt?: Date | null;

  @Field(() => LatencySourceValue, { defaultValue: LatencySourceValue.WORKER })
  @IsEnum(LatencySourceValue)
  source: LatencySourceValue = LatencySourceValue.WORKER;
}
