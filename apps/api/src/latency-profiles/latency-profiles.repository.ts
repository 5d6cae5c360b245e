import { Inject, Injectable } from '@nestjs/common';
import type { LatencyProfile, Prisma, PrismaClient } from '@akd/db';
import { PRISMA } from '../tokens.js';

@Injectable()
export class LatencyProfilesRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  list(): Promise<LatencyProfile[]> {
    return this.prisma.latencyProfile.findMany({ orderBy: { name: 'asc' } });
  }

  findByName(name: string): Promise<LatencyProfile | null> {
    return this.prisma.latencyProfile.findUnique({ where: { name } });
  }

  create(data: Prisma.LatencyProfileCreateInput): Promise<LatencyProfile> {
    return this.prisma.latencyProfile.create({ data });
  }
}
