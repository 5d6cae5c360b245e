import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AkdError, Logger } from '@akd/core';
import { toEnumKey, fromEnumKey, type ApiToken } from '@akd/db';
import { broadcastToSiblings, onSiblingBroadcast } from '../cluster/sibling-messages.js';
import { ApiRoleValue } from '../common/enums.js';
import type { ApiConfig } from '../config.js';
import { API_CONFIG } from '../tokens.js';
import { ApiTokensRepository } from './api-tokens.repository.js';
import type { ApiRequest, Principal } from './principal.js';
import { generateToken, hashToken } from './token-hash.js';

/** `lastUsedAt` is written at most this often per token and API process, so reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 60_000;

/** Maximum number of tokens whose principal is kept; beyond it the entry stored first is dropped. */
const MAX_CACHED_TOKENS = 1000;

/** Topic of the message that reports a revoked token to the other API processes of the group. */
const REVOKED_TOPIC = 'api-token-revoked';

/** Shortest AKD_ADMIN_TOKEN accepted, in characters. */
export const MIN_ADMIN_TOKEN_LENGTH = 32;

/** A new token, returned once: only its hash is stored. */
export interface IssuedToken {
  token: string;
  row: ApiToken;
}

/** A verified token, kept until `expiresAt`. */
interface CachedPrincipal {
  principal: Principal;
  expiresAt: number;
  /** When this process last recorded (or read) the token's `lastUsedAt`, in ms since the epoch. */
  touchedAt: number;
}

@Injectable()
export class AuthService implements OnModuleDestroy {
  private readonly log = new Logger('api.auth');
  /** Verified tokens by SHA-256; unknown and revoked tokens are never kept. */
  private readonly cache = new Map<string, CachedPrincipal>();
  /**
   * Tokens revoked since this process started. A request that read such a token just before the
   * revocation may finish, but its principal is not cached.
   */
  private readonly revoked = new Set<string>();
  private readonly stopListening: () => void;

  constructor(
    @Inject(ApiTokensRepository) private readonly tokens: ApiTokensRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {
    this.stopListening = onSiblingBroadcast(REVOKED_TOPIC, (tokenId) => this.forget(tokenId as string));
  }

  onModuleDestroy(): void {
    this.stopListening();
  }

  /**
   * Returns the principal of a bearer token. Throws UNAUTHENTICATED when the token is unknown or
   * revoked. A verified token is trusted for `tokenCacheMs` (AKD_API_TOKEN_CACHE_MS) without
   * reading the database again. Revoking it through this API ends that at once in every process of
   * this API process group. A revocation made elsewhere (another API host, or the database) takes
   * effect within `tokenCacheMs`.
   */
  async authenticate(token: string): Promise<Principal> {
    const hash = hashToken(token);
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.expiresAt > now) {
      this.touch(cached, now);
      return cached.principal;
    }
    this.cache.delete(hash);

    const row = await this.tokens.findByHash(hash);
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
    const entry: CachedPrincipal = {
      principal: { tokenId: row.id, name: row.name, role: fromEnumKey(row.role) as ApiRoleValue },
      expiresAt: now + this.config.tokenCacheMs,
      touchedAt: row.lastUsedAt?.getTime() ?? 0,
    };
    this.touch(entry, now);
    if (this.config.tokenCacheMs > 0) this.remember(hash, entry);
    return entry.principal;
  }

  /** Records the token's use in the background when the last record is older than {@link TOUCH_INTERVAL_MS}. */
  private touch(entry: CachedPrincipal, now: number): void {
    if (now - entry.touchedAt <= TOUCH_INTERVAL_MS) return;
    entry.touchedAt = now;
    const tokenId = entry.principal.tokenId;
    this.tokens.touch(tokenId, new Date(now)).catch((error: unknown) => {
      this.log.warn('could not record the last use of a token', { tokenId, error });
    });
  }

  private remember(hash: string, entry: CachedPrincipal): void {
    if (this.revoked.has(entry.principal.tokenId)) return;
    if (this.cache.size >= MAX_CACHED_TOKENS) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(hash, entry);
  }

  /** Drops the cached principal of the token `tokenId`, so that its next use reads the database. */
  private forget(tokenId: string): void {
    this.revoked.add(tokenId);
    for (const [hash, entry] of this.cache) {
      if (entry.principal.tokenId === tokenId) this.cache.delete(hash);
    }
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
    this.forget(id);
    broadcastToSiblings(REVOKED_TOPIC, id);
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
