// The frequent reads that run on node-postgres (SqlReader) rather than Prisma: they must return
// exactly the rows Prisma returns, and the candidate page must count and page every case.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Prisma, type Dataset, type Experiment, type Teacher } from '@akd/db';
import { createApiApp } from '../app.js';
import { SqlReader } from '../common/sql-reader.js';
import { CANDIDATE_ROW, EXPERIMENT_ROW } from '../common/sql-rows.js';
import { encodeCursor } from '../common/pagination.js';
import {
  HUGE_PARAMS,
  RecordingQueue,
  seedCandidates,
  seedDataset,
  seedExperiment,
  seedTeacher,
  startTestApi,
  type GraphqlReply,
  type TestApi,
} from '../testing/harness.js';

const PAGE = `query($id: ID!, $first: Int!, $after: String, $order: CandidateOrder!, $status: CandidateStatus) {
  experiment(id: $id) {
    candidates(first: $first, after: $after, orderBy: $order, status: $status) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id status reward } }
    }
  }
}`;

const LEADERBOARD = 'query($datasetId: ID!) { leaderboard(datasetId: $datasetId) { rank candidate { id } } }';

const UNKNOWN_ID = '0193a1b2-0000-7000-8000-000000000000';

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: { id: string; status: string; reward: number | null } }[];
}

function pageOf(reply: GraphqlReply): Page {
  assert.equal(reply.body.errors, undefined, JSON.stringify(reply.body.errors));
  return (reply.body.data as { experiment: { candidates: Page } }).experiment.candidates;
}

describe('candidate reads', () => {
  let api: TestApi;
  let dataset: Dataset;
  let teacher: Teacher;
  let scored: Experiment;
  let unscored: Experiment;
  let empty: Experiment;

  before(async () => {
    api = await startTestApi();
    dataset = await seedDataset(api.prisma, 'reads');
    teacher = await seedTeacher(api.prisma, dataset);
    scored = await seedExperiment(api.prisma, dataset, teacher, 'running');
    await seedCandidates(api.prisma, scored, [
      { accuracy: 0.8, latencyMs: 2, reward: 0.8 },
      { accuracy: 0.7, latencyMs: 3, reward: 0.68, params: HUGE_PARAMS },
      { accuracy: 0.9, latencyMs: 5, reward: 0.85 },
      {},
      { status: 'failed' },
      { status: 'training' },
    ]);
    // Every optional column filled in, so that the comparison below covers their types.
    await api.prisma.candidate.updateMany({
      where: { experimentId: scored.id, status: 'completed' },
      data: {
        proxyTop5: 0.99,
        metrics: { losses: [1.5, 0.9], nested: { ok: true } },
        trainMs: 1234,
        backend: 'wasm',
        host: 'host-a',
        startedAt: new Date('2026-01-02T03:04:05.678Z'),
        finishedAt: new Date('2026-01-02T03:05:06.789Z'),
      },
    });
    await api.prisma.experiment.update({
      where: { id: scored.id },
      data: {
        strategy: 'policy_gradient',
        strategyState: { weights: [0.5, -1] },
        startedAt: new Date(),
        error: 'an error',
      },
    });
    unscored = await seedExperiment(api.prisma, dataset, null, 'running');
    await seedCandidates(api.prisma, unscored, [{}, {}, {}]);
    empty = await seedExperiment(api.prisma, dataset, null, 'queued');
  });

  after(() => api.close());

  it('selects every field of the Prisma models', () => {
    assert.deepEqual(
      CANDIDATE_ROW.fields.map((field) => field.field).sort(),
      Object.keys(Prisma.CandidateScalarFieldEnum).sort(),
    );
    assert.deepEqual(
      EXPERIMENT_ROW.fields.map((field) => field.field).sort(),
      Object.keys(Prisma.ExperimentScalarFieldEnum).sort(),
    );
  });

  it('reads candidates as Prisma does', async () => {
    const sql = api.app.get(SqlReader);
    const rows = await sql.query<Record<string, unknown>>(
      `SELECT ${CANDIDATE_ROW.select('c', 'x_')} FROM candidates c WHERE c.experiment_id = $1 ORDER BY c.id`,
      [scored.id],
    );
    const expected = await api.prisma.candidate.findMany({
      where: { experimentId: scored.id },
      orderBy: { id: 'asc' },
    });
    assert.equal(rows.length, 6);
    assert.deepEqual(
      rows.map((row) => CANDIDATE_ROW.read(row, 'x_')),
      expected,
    );
  });

  it('reads experiments as Prisma does', async () => {
    const sql = api.app.get(SqlReader);
    for (const experiment of [scored, unscored]) {
      const [row] = await sql.query<Record<string, unknown>>(
        `SELECT ${EXPERIMENT_ROW.select('e')} FROM experiments e WHERE e.id = $1`,
        [experiment.id],
      );
      const expected = await api.prisma.experiment.findUniqueOrThrow({ where: { id: experiment.id } });
      assert.deepEqual(EXPERIMENT_ROW.read(row), expected);
    }
  });

  it('counts and pages by status', async () => {
    const page = pageOf(
      await api.graphql(PAGE, { id: scored.id, first: 2, order: 'REWARD_DESC', status: 'COMPLETED' }),
    );
    assert.equal(page.totalCount, 3);
    assert.deepEqual(
      page.edges.map((edge) => edge.node.reward),
      [0.85, 0.8],
    );
    const next = pageOf(
      await api.graphql(PAGE, {
        id: scored.id,
        first: 2,
        after: page.pageInfo.endCursor,
        order: 'REWARD_DESC',
        status: 'COMPLETED',
      }),
    );
    assert.deepEqual(
      next.edges.map((edge) => edge.node.reward),
      [0.68],
    );
    assert.equal(next.pageInfo.hasNextPage, false);
    assert.equal(next.totalCount, 3);
  });

  it('counts an experiment without scored candidates', async () => {
    const page = pageOf(await api.graphql(PAGE, { id: unscored.id, first: 2, order: 'REWARD_DESC' }));
    assert.equal(page.totalCount, 3);
    assert.equal(page.edges.length, 2);
    assert.equal(page.pageInfo.hasNextPage, true);
  });

  it('counts an experiment without candidates', async () => {
    const page = pageOf(await api.graphql(PAGE, { id: empty.id, first: 5, order: 'ACCURACY_DESC' }));
    assert.deepEqual(page, { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] });
  });

  it('counts past the last page', async () => {
    const last = await api.prisma.candidate.findFirstOrThrow({
      where: { experimentId: scored.id },
      orderBy: { id: 'desc' },
    });
    const after = encodeCursor({ value: null, id: last.id });
    const page = pageOf(await api.graphql(PAGE, { id: scored.id, first: 5, after, order: 'CREATED_ASC' }));
    assert.equal(page.totalCount, 6);
    assert.deepEqual(page.edges, []);
  });

  it('rejects a params cursor that is not an integer', async () => {
    const after = encodeCursor({ value: '1e3', id: UNKNOWN_ID });
    const reply = await api.graphql(PAGE, { id: scored.id, first: 2, after, order: 'PARAMS_ASC' });
    assert.equal(reply.status, 400);
    assert.match(reply.body.errors?.[0].message ?? '', /Invalid cursor/);
  });

  it('leaderboard of an unknown dataset is 404', async () => {
    const reply = await api.graphql(LEADERBOARD, { datasetId: UNKNOWN_ID });
    assert.equal(reply.status, 404);
    assert.match(
      reply.body.errors?.[0].message ?? '',
      new RegExp(`Dataset ${UNKNOWN_ID} does not exist\\. The datasets query lists the datasets\\.`),
    );
  });

  it('leaderboard rejects a malformed dataset id', async () => {
    const reply = await api.graphql(LEADERBOARD, { datasetId: 'not-a-uuid' });
    assert.equal(reply.status, 400);
    assert.match(reply.body.errors?.[0].message ?? '', /Invalid dataset id "not-a-uuid"/);
  });

  it('leaderboard of a dataset without results is empty', async () => {
    const other = await seedDataset(api.prisma, 'no results');
    const reply = await api.graphql(LEADERBOARD, { datasetId: other.id });
    assert.deepEqual(reply.body, { data: { leaderboard: [] } });
  });

  it('closes its pool with the application', async () => {
    const app = await createApiApp({
      prisma: api.prisma,
      databaseUrl: api.db.url,
      queue: new RecordingQueue(),
      config: api.config,
    });
    const sql = app.get(SqlReader);
    assert.deepEqual(await sql.query('SELECT 1 AS one', []), [{ one: 1 }]);
    await app.close();
    await assert.rejects(sql.query('SELECT 1 AS one', []), /after calling end on the pool/);
  });
});
