import { Inject, Injectable } from '@nestjs/common';
import type { ApiRole, ApiToken, PrismaClient } from '@akd/db';
import { PRISMA } from '../tokens.js';

/** Lock key that serialises the creation of the first token across API processes. */
const INITIAL_TOKEN_LOCK = 72707401;

@Injectable()
export class ApiTokensRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  findByHash(tokenHash: string): Promise<ApiToken | null> {
    return this.prisma.apiToken.findUnique({ where: { tokenHash } });
  }

  findById(id: string): Promise<ApiToken | null> {
    return this.prisma.apiToken.findUnique({ where: { id } });
  }

  list(): Promise<ApiToken[]> {
    return this.prisma.apiToken.findMany({ orderBy: { id: 'asc' } });
  }

  create(data: { name: string; tokenHash: string; role: ApiRole }): Promise<ApiToken> {
    return this.prisma.apiToken.create({ data });
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.prisma.apiToken.update({ where: { id }, data: { lastUsedAt: at } });
  }

  /** Sets `revokedAt` unless the token is already revoked, and returns the row. */
  async revoke(id: string, at: Date): Promise<ApiToken> {
    await this.prisma.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
    return this.prisma.apiToken.findUniqueOrThrow({ where: { id } });
  }

  /**
   * Runs `create` with the token table locked against other API processes doing the same, and
   * passes it the number of tokens and whether `tokenHash` exists.
   */
  async withInitialTokenLock<T>(
    tokenHash: string | null,
    create: (
      state: { count: number; existing: ApiToken | null },
      insert: (row: { name: string; tokenHash: string; role: ApiRole }) => Promise<ApiToken>,
    ) => Promise<T>,
  ): Promise<T> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${INITIAL_TOKEN_LOCK})`;
      const count = await tx.apiToken.count();
      const existing = tokenHash ? await tx.apiToken.findUnique({ where: { tokenHash } }) : null;
      return create({ count, existing }, (row) => tx.apiToken.create({ data: row }));
    });
  }
}
