import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type { Worker } from '@akd/db';
import { JsonScalar } from '../../common/scalars.js';

@ObjectType('Worker', { description: 'A worker process that runs queued jobs.' })
export class WorkerModel {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  host!: string;

  @Field(() => Int)
  pid!: number;

  @Field(() => String, { description: 'Compute backend, e.g. wasm or cpu.' })
  backend!: string;

  @Field(() => Date)
  startedAt!: Date;

  @Field(() => Date)
  heartbeatAt!: Date;

  @Field(() => Boolean, {
    description: 'Whether the last heartbeat is recent (AKD_WORKER_TIMEOUT_MS, 60 s by default).',
  })
  alive!: boolean;

  @Field(() => JsonScalar, {
    nullable: true,
    description: 'Job being run, e.g. { kind, id }; null when idle.',
  })
  currentJob!: unknown;
}

export function toWorkerModel(row: Worker, now: Date, timeoutMs: number): WorkerModel {
  return {
    id: row.id,
    host: row.host,
    pid: row.pid,
    backend: row.backend,
    startedAt: row.startedAt,
    heartbeatAt: row.heartbeatAt,
    alive: now.getTime() - row.heartbeatAt.getTime() <= timeoutMs,
    currentJob: row.currentJob,
  };
}
