import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import type { ApiConfig } from '../config.js';
import { DeclareArgTypes } from '../common/arg-types.js';
import { listComplexity } from '../common/complexity.js';
import { API_CONFIG } from '../tokens.js';
import { toWorkerModel, WorkerModel } from './models/worker.model.js';
import { WorkersRepository } from './workers.repository.js';

@Resolver(() => WorkerModel)
@DeclareArgTypes()
export class WorkersResolver {
  constructor(
    @Inject(WorkersRepository) private readonly workerRepository: WorkersRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Query(() => [WorkerModel], {
    description: 'Registered workers, most recent heartbeat first.',
    complexity: listComplexity(10),
  })
  async workers(
    @Args('aliveOnly', {
      type: () => Boolean,
      defaultValue: false,
      description: 'Only workers with a recent heartbeat.',
    })
    aliveOnly: boolean,
  ): Promise<WorkerModel[]> {
    const now = new Date();
    const since = aliveOnly ? new Date(now.getTime() - this.config.workerTimeoutMs) : null;
    return (await this.workerRepository.list(since)).map((row) =>
      toWorkerModel(row, now, this.config.workerTimeoutMs),
    );
  }
}
