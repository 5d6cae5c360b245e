import { Inject, Injectable } from '@nestjs/common';
import { AkdError, Logger } from '@akd/core';
import { toEnumKey, fromEnumKey, type ApiToken } from '@akd/db';
import { ApiRoleValue } from '../common/enums.js';
import { ApiTokensRepository } from './api-tokens.repository.js';
import type { ApiRequest, Principal } from './principal.js';
import { generateToken, hashToken } from './token-hash.js';

/** `lastUsedAt` is written at most this often per token, so reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 60_000;

/** Shortest AKD_ADMIN_TOKEN accepted, in characters. */
export const MIN_ADMIN_TOKEN_LENGTH = 32;

/** A new token, returned once: only its hash is stored. */
export interface IssuedToken {
  token: string;
  row: ApiToken;
}

@Injectable()
export class AuthService {
  private readonly log = new Logger('api.auth');

  constructor(@Inject(ApiTokensRepository) private readonly tokens: ApiTokensRepository) {}

  /**
   * Returns the principal of a bearer token. Throws UNAUTHENTICATED when the token is unknown or
   * revoked.
   */
  async authenticate(token: string): Promise<Principal> {
    const row = await this.tokens.findByHash(hashToken(token));
    if (!row)
      throw new AkdError(
        'UNAUTHENTICATED',
        'Invalid API token: no such token exists. Ask an editor for a new one.',
      );
    if (row.revokedAt) {
      throw new AkdError(
        'UNAUTHENTICATED',
        `API token "${row.name}" was revoked. Ask an editor for a new one.`,
      );
    }
    const now = new Date();
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      this.tokens.touch(row.id, now).catch((error: unknown) => {
        this.log.warn('could not record the last use of a token', { tokenId: row.id, error });
      });
    }
    return { tokenId: row.id, name: row.name, role: fromEnumKey(row.role) as ApiRoleValue };
  }

  /**
   * Returns the principal of an `Authorization: Bearer <token>` header, or null without the
   * header. Throws UNAUTHENTICATED for another scheme or a bad token.
   */
  async authenticateHeader(header: string | undefined): Promise<Principal | null> {
    if (header === undefined || header.trim() === '') return null;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      throw new AkdError(
        'UNAUTHENTICATED',
        'Invalid Authorization header: send "Authorization: Bearer <token>".',
      );
    }
    return this.authenticate(match[1]);
  }

  /** Returns the principal of an HTTP request, looking the token up once per request. */
  principalOf(request: ApiRequest): Promise<Principal | null> {
    request.principalLookup ??= this.authenticateHeader(request.headers.authorization);
    return request.principalLookup;
  }

  /** Creates a token with `role` and returns it with its row. */
  async issue(name: string, role: ApiRoleValue): Promise<IssuedToken> {
    const token = generateToken();
    const row = await this.tokens.create({ name, tokenHash: hashToken(token), role: toEnumKey(role) });
    this.log.info('API token created', { tokenId: row.id, name, role });
    return { token, row };
  }

  /** Revokes a token; revoking a revoked token changes nothing. Throws NOT_FOUND for unknown ids. */
  async revoke(id: string): Promise<ApiToken> {
    const row = await this.tokens.findById(id);
    if (!row) throw new AkdError('NOT_FOUND', `API token ${id} does not exist.`);
    const revoked = await this.tokens.revoke(id, new Date());
    this.log.info('API token revoked', { tokenId: id, name: row.name });
    return revoked;
  }

  list(): Promise<ApiToken[]> {
    return this.tokens.list();
  }

  /**
   * Makes sure an editor can sign in on a fresh installation. With `adminToken` (AKD_ADMIN_TOKEN),
   * records that token as an editor token unless it exists. Otherwise, when no token exists at all,
   * creates an editor token and returns it so that the caller prints it once. Returns null when
   * nothing was generated.
   */
  async ensureInitialToken(adminToken: string | undefined): Promise<IssuedToken | null> {
    if (adminToken !== undefined && adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
      throw new AkdError(
        'INVALID_INPUT',
        `AKD_ADMIN_TOKEN is ${adminToken.length} characters long: use at least ${MIN_ADMIN_TOKEN_LENGTH} random characters.`,
      );
    }
    const adminHash = adminToken === undefined ? null : hashToken(adminToken);
    return this.tokens.withInitialTokenLock(adminHash, async ({ count, existing }, insert) => {
      if (adminHash !== null) {
        if (existing?.revokedAt) {
          this.log.warn('AKD_ADMIN_TOKEN was revoked; it stays revoked', { tokenId: existing.id });
        }
        if (!existing) {
          const row = await insert({ name: 'admin (AKD_ADMIN_TOKEN)', tokenHash: adminHash, role: 'editor' });
          this.log.info('recorded AKD_ADMIN_TOKEN as an editor token', { tokenId: row.id });
        }
        return null;
      }
      if (count > 0) return null;
      const token = generateToken();
      const row = await insert({ name: 'initial editor token', tokenHash: hashToken(token), role: 'editor' });
      return { token, row };
    });
  }
}
