import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { fromEnumKey, type LatencyProfile } from '@akd/db';
import { LatencySourceValue } from '../../common/enums.js';
import { JsonScalar } from '../../common/scalars.js';

@ObjectType('LatencyProfile', {
  description: 'Latencies measured on one device and backend, used to predict candidate latency.',
})
export class LatencyProfileModel {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'Device the latencies were measured on.' })
  device!: string;

  @Field(() => String, { description: 'Inference backend, e.g. wasm or webgl.' })
  backend!: string;

  @Field(() => [Int], { description: '[height, width, channels] of the input the table was measured with.' })
  inputShape!: number[];

  @Field(() => JsonScalar, { description: 'Latency of each operation, in milliseconds, keyed by operation.' })
  table!: unknown;

  @Field(() => JsonScalar, { nullable: true, description: 'Linear fit of latency against FLOPs.' })
  flopsFit!: unknown;

  @Field(() => Date)
  measuredAt!: Date;

  @Field(() => LatencySourceValue)
  source!: LatencySourceValue;

  @Field(() => Date)
  createdAt!: Date;
}

export function toLatencyProfileModel(row: LatencyProfile): LatencyProfileModel {
  return {
    id: row.id,
    name: row.name,
    device: row.device,
    backend: row.backend,
    inputShape: Array.isArray(row.inputShape) ? row.inputShape.map(Number) : [],
    table: row.table,
    flopsFit: row.flopsFit,
    measuredAt: row.measuredAt,
    source: fromEnumKey(row.source) as LatencySourceValue,
    createdAt: row.createdAt,
  };
}
