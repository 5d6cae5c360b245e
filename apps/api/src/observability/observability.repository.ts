import { Inject, Injectable } from '@nestjs/common';
import type { CandidateStatus, ExperimentStatus, PrismaClient } from '@akd/db';
import { PRISMA } from '../tokens.js';

@Injectable()
export class ObservabilityRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async ping(): Promise<void> {
    await this.prisma.$queryRaw`SELECT 1`;
  }

  async experimentsByStatus(): Promise<Map<ExperimentStatus, number>> {
    const groups = await this.prisma.experiment.groupBy({ by: ['status'], _count: { _all: true } });
    return new Map(groups.map((group) => [group.status, group._count._all]));
  }

  async candidatesByStatus(): Promise<Map<CandidateStatus, number>> {
    const groups = await this.prisma.candidate.groupBy({ by: ['status'], _count: { _all: true } });
    return new Map(groups.map((group) => [group.status, group._count._all]));
  }

  countWorkersSince(since: Date): Promise<number> {
    return this.prisma.worker.count({ where: { heartbeatAt: { gte: since } } });
  }
}
