// The principal of a verified token is reused for AKD_API_TOKEN_CACHE_MS: revocations through the
// API end it at once, revocations in the database take effect within that time.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../testing/harness.js';
import { hashToken } from './token-hash.js';

const CREATE_TOKEN =
  'mutation($name: String!) { createApiToken(input: { name: $name }) { token apiToken { id } } }';
const REVOKE_TOKEN = 'mutation($id: ID!) { revokeApiToken(id: $id) { id } }';
const READ = '{ datasets { id } }';

/** How long the API under test trusts a verified token. */
const CACHE_MS = 1500;

describe('token cache', () => {
  let api: TestApi;

  before(async () => {
    api = await startTestApi({ tokenCacheMs: CACHE_MS });
  });

  after(() => api.close());

  async function newToken(name: string): Promise<{ token: string; id: string }> {
    const reply = await api.graphql(CREATE_TOKEN, { name });
    const created = (reply.body.data as { createApiToken: { token: string; apiToken: { id: string } } })
      .createApiToken;
    return { token: created.token, id: created.apiToken.id };
  }

  /** Revokes a token in the database directly, as another API host or an administrator would. */
  async function revokeInDatabase(token: string): Promise<void> {
    await api.prisma.apiToken.update({
      where: { tokenHash: hashToken(token) },
      data: { revokedAt: new Date() },
    });
  }

  it('revocation through the API ends a cached token at once', async () => {
    const { token, id } = await newToken('cached then revoked');
    assert.equal((await api.graphql(READ, {}, token)).status, 200);
    await api.graphql(REVOKE_TOKEN, { id });
    const reply = await api.graphql(READ, {}, token);
    assert.equal(reply.status, 401);
    assert.match(reply.body.errors?.[0].message ?? '', /revoked/);
  });

  it('database revocation takes effect within the cache time', async () => {
    const { token } = await newToken('revoked in the database');
    assert.equal((await api.graphql(READ, {}, token)).status, 200);
    const revokedAt = Date.now();
    await revokeInDatabase(token);
    // The cached principal still serves requests until it expires.
    const cached = await api.graphql(READ, {}, token);
    if (Date.now() - revokedAt < CACHE_MS) assert.equal(cached.status, 200);
    await sleep(CACHE_MS + 100);
    assert.equal((await api.graphql(READ, {}, token)).status, 401);
  });

  it('does not cache unknown tokens', async () => {
    const { token } = await newToken('deleted then recreated');
    const row = await api.prisma.apiToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
    await api.prisma.apiToken.delete({ where: { id: row.id } });
    assert.equal((await api.graphql(READ, {}, token)).status, 401);
    await api.prisma.apiToken.create({ data: { name: row.name, tokenHash: row.tokenHash, role: row.role } });
    assert.equal((await api.graphql(READ, {}, token)).status, 200);
  });

  it('records the last use once per minute', async () => {
    const { token, id } = await newToken('touched');
    assert.equal((await api.graphql(READ, {}, token)).status, 200);
    const first = await waitForLastUse(id);
    await sleep(50);
    assert.equal((await api.graphql(READ, {}, token)).status, 200);
    await sleep(200);
    const row = await api.prisma.apiToken.findUniqueOrThrow({ where: { id } });
    assert.equal(row.lastUsedAt?.getTime(), first.getTime());
  });

  async function waitForLastUse(id: string): Promise<Date> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const row = await api.prisma.apiToken.findUniqueOrThrow({ where: { id } });
      if (row.lastUsedAt) return row.lastUsedAt;
      await sleep(20);
    }
    throw new Error(`lastUsedAt of token ${id} was never written`);
  }
});

describe('token cache off', () => {
  let api: TestApi;

  before(async () => {
    api = await startTestApi({ tokenCacheMs: 0 });
  });

  after(() => api.close());

  it('database revocation takes effect at once', async () => {
    const reply = await api.graphql(CREATE_TOKEN, { name: 'uncached' });
    const { token } = (reply.body.data as { createApiToken: { token: string } }).createApiToken;
    assert.equal((await api.graphql(READ, {}, token)).status, 200);
    await api.prisma.apiToken.update({
      where: { tokenHash: hashToken(token) },
      data: { revokedAt: new Date() },
    });
    assert.equal((await api.graphql(READ, {}, token)).status, 401);
  });
});
