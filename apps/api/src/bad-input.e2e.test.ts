// Bad inputs that the feature test files leave out: teacher logits with another class count, a
// subscription with a revoked token, and a leaderboard page above the maximum.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import type { Dataset } from '@akd/db';
import { encodeNpy } from '@akd/teachers';
import { seedDataset, startTestApi, type TestApi } from './testing/harness.js';

/** Opens a graphql-ws socket, sends connection_init and returns the first message or the close event. */
function connectSocket(
  url: string,
  authorization: string,
): Promise<{ type: string; code?: number; reason?: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace('http', 'ws') + '/graphql', 'graphql-transport-ws');
    socket.on('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization } })),
    );
    socket.on('message', (data) => {
      resolve(JSON.parse(String(data)) as { type: string });
      socket.close();
    });
    socket.on('close', (code, reason) => resolve({ type: 'closed', code, reason: reason.toString() }));
    socket.on('error', reject);
  });
}

describe('bad input', () => {
  let api: TestApi;
  let dataset: Dataset;

  before(async () => {
    api = await startTestApi();
    dataset = await seedDataset(api.prisma, 'ten-classes');
  });

  after(() => api.close());

  describe('teacher import', () => {
    async function importLogits(train: Buffer, test?: Buffer) {
      const form = new FormData();
      form.set('datasetId', dataset.id);
      form.set('name', 'imported');
      form.set('train', new Blob([train]), 'train.npy');
      if (test) form.set('test', new Blob([test]), 'test.npy');
      const response = await fetch(`${api.url}/api/teachers/import`, {
        method: 'POST',
        body: form,
        headers: { authorization: `Bearer ${api.editorToken}` },
      });
      return { status: response.status, body: (await response.json()) as { error?: { message: string } } };
    }

    async function assertNothingRecorded(teachersBefore: number): Promise<void> {
      assert.equal(await api.prisma.teacher.count(), teachersBefore, 'no teacher is recorded');
      assert.deepEqual(await readdir(join(api.config.dataDir, 'uploads')).catch(() => []), []);
      assert.deepEqual(await readdir(join(api.config.artifactDir, 'teachers')).catch(() => []), []);
    }

    it('rejects logits with another class count', async () => {
      const before = await api.prisma.teacher.count();
      const reply = await importLogits(encodeNpy(new Float32Array(6000 * 7), 6000, 7));
      assert.equal(reply.status, 422, JSON.stringify(reply.body));
      assert.match(
        reply.body.error?.message ?? '',
        /train\.npy has shape \(6000, 7\), but dataset ten-classes needs \(6000, 10\)/,
      );
      await assertNothingRecorded(before);
    });

    it('rejects test logits with another row count', async () => {
      const before = await api.prisma.teacher.count();
      const reply = await importLogits(
        encodeNpy(new Float32Array(6000 * 10), 6000, 10),
        encodeNpy(new Float32Array(999 * 10), 999, 10),
      );
      assert.equal(reply.status, 422, JSON.stringify(reply.body));
      assert.match(
        reply.body.error?.message ?? '',
        /test\.npy has shape \(999, 10\), but dataset ten-classes needs \(1000, 10\)/,
      );
      await assertNothingRecorded(before);
    });
  });

  it('subscription with a revoked token is refused at connect', async () => {
    const created = await api.graphql(
      'mutation { createApiToken(input: { name: "soon revoked" }) { token apiToken { id } } }',
    );
    const { token, apiToken } = (
      created.body.data as { createApiToken: { token: string; apiToken: { id: string } } }
    ).createApiToken;
    assert.equal((await connectSocket(api.url, `Bearer ${token}`)).type, 'connection_ack');

    await api.graphql('mutation($id: ID!) { revokeApiToken(id: $id) { id } }', { id: apiToken.id });
    const result = await connectSocket(api.url, `Bearer ${token}`);
    assert.equal(result.type, 'closed');
    assert.equal(result.code, 4401);
    assert.match(result.reason ?? '', /invalid or revoked/);
  });

  it('leaderboard rejects a page size above the maximum', async () => {
    const reply = await api.graphql('query($id: ID!) { leaderboard(datasetId: $id, first: 101) { rank } }', {
      id: dataset.id,
    });
    assert.equal(reply.status, 400, JSON.stringify(reply.body));
    assert.equal(reply.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(
      reply.body.errors?.[0]?.message ?? '',
      /first must be at most 100 \(the maximum page size\)/,
    );
  });
});
