import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { hashToken } from './token-hash.js';
import { AuthService } from './auth.service.js';
import { postGraphql, seedDataset, startTestApi, type TestApi } from '../testing/harness.js';

const CREATE_TOKEN =
  'mutation($name: String!) { createApiToken(input: { name: $name }) { token apiToken { id role } } }';

/** Opens a graphql-ws socket, sends connection_init and returns the first message or the close event. */
function connectSocket(
  url: string,
  payload: Record<string, unknown> | undefined,
): Promise<{ type: string; code?: number; reason?: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace('http', 'ws') + '/graphql', 'graphql-transport-ws');
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
    socket.on('message', (data) => {
      resolve(JSON.parse(String(data)) as { type: string });
      socket.close();
    });
    socket.on('close', (code, reason) => resolve({ type: 'closed', code, reason: reason.toString() }));
    socket.on('error', reject);
  });
}

describe('authentication', () => {
  let api: TestApi;

  before(async () => {
    api = await startTestApi();
    await seedDataset(api.prisma);
  });

  after(() => api.close());

  it('stores only the SHA-256 of tokens', async () => {
    const rows = await api.prisma.apiToken.findMany();
    assert.ok(rows.some((row) => row.tokenHash === hashToken(api.editorToken)));
    assert.ok(rows.every((row) => !JSON.stringify(row).includes(api.editorToken)));
  });

  it('creates the initial token only once', async () => {
    assert.equal(await api.app.get(AuthService).ensureInitialToken(undefined), null);
  });

  it('records AKD_ADMIN_TOKEN as an editor token', async () => {
    const admin = 'a'.repeat(40);
    assert.equal(await api.app.get(AuthService).ensureInitialToken(admin), null);
    const reply = await api.graphql('{ datasets { name } }', {}, admin);
    assert.equal(reply.status, 200);
    const created = await api.graphql(CREATE_TOKEN, { name: 'from admin' }, admin);
    assert.equal(created.status, 200);
  });

  it('rejects a short AKD_ADMIN_TOKEN', async () => {
    await assert.rejects(api.app.get(AuthService).ensureInitialToken('short'), /at least 32/);
  });

  it('query without token is 401', async () => {
    const reply = await api.graphql('{ datasets { name } }', {}, null);
    assert.equal(reply.status, 401);
    assert.equal(reply.body.errors?.[0].extensions?.code, 'UNAUTHENTICATED');
  });

  it('query with reader token succeeds', async () => {
    const reply = await api.graphql('{ datasets { name } }', {}, api.readerToken);
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body.data, { datasets: [{ name: 'seeded' }] });
  });

  it('mutation without token is 401', async () => {
    const reply = await api.graphql(CREATE_TOKEN, { name: 'x' }, null);
    assert.equal(reply.status, 401);
    assert.equal(reply.body.errors?.[0].extensions?.code, 'UNAUTHENTICATED');
    assert.match(reply.body.errors?.[0].message ?? '', /Missing API token/);
  });

  it('mutation with reader token is 403', async () => {
    const reply = await api.graphql(CREATE_TOKEN, { name: 'x' }, api.readerToken);
    assert.equal(reply.status, 403);
    assert.equal(reply.body.errors?.[0].extensions?.code, 'FORBIDDEN');
    assert.match(reply.body.errors?.[0].message ?? '', /read-only/);
  });

  it('unknown token is 401', async () => {
    const reply = await api.graphql('{ datasets { name } }', {}, 'akd_unknown');
    assert.equal(reply.status, 401);
    assert.match(reply.body.errors?.[0].message ?? '', /no such token/);
  });

  it('malformed Authorization header is 401', async () => {
    const response = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${api.editorToken}` },
      body: JSON.stringify({ query: '{ datasets { name } }' }),
    });
    assert.equal(response.status, 401);
  });

  it('editor creates, lists and revokes a token', async () => {
    const created = await api.graphql(CREATE_TOKEN, { name: 'temporary' });
    assert.equal(created.status, 200);
    const { token, apiToken } = (
      created.body.data as { createApiToken: { token: string; apiToken: { id: string; role: string } } }
    ).createApiToken;
    assert.equal(apiToken.role, 'READER');
    assert.match(token, /^akd_[A-Za-z0-9_-]{43}$/);
    assert.equal((await api.graphql('{ datasets { name } }', {}, token)).status, 200);

    const listed = await api.graphql('{ apiTokens { id name revokedAt } }');
    const tokens = (listed.body.data as { apiTokens: { id: string; revokedAt: string | null }[] }).apiTokens;
    assert.ok(tokens.some((row) => row.id === apiToken.id && row.revokedAt === null));

    const revoked = await api.graphql('mutation($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }', {
      id: apiToken.id,
    });
    assert.equal(revoked.status, 200);
    assert.ok((revoked.body.data as { revokeApiToken: { revokedAt: string } }).revokeApiToken.revokedAt);

    const afterRevoke = await api.graphql('{ datasets { name } }', {}, token);
    assert.equal(afterRevoke.status, 401);
    assert.match(afterRevoke.body.errors?.[0].message ?? '', /revoked/);
  });

  it('revoked editor token on mutation is 401', async () => {
    const created = await api.graphql(
      'mutation { createApiToken(input: { name: "editor2", role: EDITOR }) { token apiToken { id } } }',
    );
    const { token, apiToken } = (
      created.body.data as { createApiToken: { token: string; apiToken: { id: string } } }
    ).createApiToken;
    await api.graphql('mutation($id: ID!) { revokeApiToken(id: $id) { id } }', { id: apiToken.id });
    const reply = await api.graphql(CREATE_TOKEN, { name: 'x' }, token);
    assert.equal(reply.status, 401);
    assert.equal(reply.body.errors?.[0].extensions?.code, 'UNAUTHENTICATED');
  });

  it('revoking an unknown token is 404', async () => {
    const reply = await api.graphql(
      'mutation { revokeApiToken(id: "0193a1b2-0000-7000-8000-000000000000") { id } }',
    );
    assert.equal(reply.status, 404);
    assert.equal(reply.body.errors?.[0].extensions?.code, 'NOT_FOUND');
  });

  it('apiTokens needs an editor', async () => {
    const reply = await api.graphql('{ apiTokens { id } }', {}, api.readerToken);
    assert.equal(reply.status, 403);
  });

  it('public read allows queries but not mutations', async () => {
    const sibling = await api.startSibling({ publicRead: true });
    const read = await postGraphql(sibling.url, '{ datasets { name } }');
    assert.equal(read.status, 200);
    const write = await postGraphql(sibling.url, CREATE_TOKEN, { name: 'x' });
    assert.equal(write.status, 401);
    const badToken = await postGraphql(sibling.url, '{ datasets { name } }', {}, 'akd_unknown');
    assert.equal(badToken.status, 401);
  });

  it('socket without token is refused at connect', async () => {
    const result = await connectSocket(api.url, undefined);
    assert.equal(result.type, 'closed');
    assert.equal(result.code, 4401);
    assert.match(result.reason ?? '', /missing API token/);
  });

  it('socket with unknown token is refused at connect', async () => {
    const result = await connectSocket(api.url, { authorization: 'Bearer akd_unknown' });
    assert.equal(result.code, 4401);
    assert.match(result.reason ?? '', /invalid or revoked/);
  });

  it('socket with reader token is acknowledged', async () => {
    const result = await connectSocket(api.url, { authorization: `Bearer ${api.readerToken}` });
    assert.equal(result.type, 'connection_ack');
  });
});
