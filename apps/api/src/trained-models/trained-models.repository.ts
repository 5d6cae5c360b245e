import { Inject, Injectable } from '@nestjs/common';
import type { Candidate, PrismaClient, TrainedModel } from '@akd/db';
import { PRISMA } from '../tokens.js';

/** A trained model with the candidate it was trained from, when that still exists. */
export type TrainedModelWithCandidate = TrainedModel & { candidate: Candidate | null };

@Injectable()
export class TrainedModelsRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  findById(id: string): Promise<TrainedModelWithCandidate | null> {
    return this.prisma.trainedModel.findUnique({ where: { id }, include: { candidate: true } });
  }
}
