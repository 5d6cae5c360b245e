import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Rng } from '@akd/core';
import type { Dataset, Experiment, PrismaClient, Teacher } from '@akd/db';
import {
  ablationCellKey,
  refreshStudyResult,
  type AblationCellResult,
  type SimilarityCellResult,
  type TrainCellResult,
} from '@akd/runner';
import { sampleGenome } from '@akd/search-space';
import {
  seedCandidates,
  seedDataset,
  seedExperiment,
  seededSpace,
  seedTeacher,
  startTestApi,
  type GraphqlReply,
  type TestApi,
} from '../testing/harness.js';

const UNKNOWN_ID = '0193a1b2-0000-7000-8000-000000000000';

const STUDY_FIELDS = `
  id kind name datasetId status complete assembledAt
  progress { total pending running completed failed cancelled }
  missingCells { key status }
  ... on SimilarityStudy { split includeGroundTruth temperature labelSmoothing teachers { key teacherId name }
    similarity { names keys meanKl agreement samples } }
  ... on RankingStudy { seeds teachers { key name } students { key params genomeHash } training { mode proxy { trainSize } kd { lambda } }
    matrix { student teacher accuracies seeds mean }
    rankings { teacher teacherName complete best ranks { student rank rankByMean tiedWith } }
    kendallTau { teacherA teacherB tau } tieRule incompleteReason }
  ... on AblationStudy { latencyTargetsMs teacher { teacherId } searches { latencyTargetMs searchBy experimentId reused }
    finalTraining { epochs kd { lambda temperature } } rows { latencyTargetMs entries { searchBy trainBy top1 status experimentId } } }
  ... on KdFriendlinessStudy { akdExperimentId nasExperimentId generations topK seeds students { key candidateId }
    generationResults { generation akd { student gain } nas { student } averageGain winningRatio } }
`;

const CREATE_SIMILARITY = `mutation($input: CreateSimilarityStudyInput!) { createSimilarityStudy(input: $input) { ${STUDY_FIELDS} } }`;
const CREATE_RANKING = `mutation($input: CreateRankingStudyInput!) { createRankingStudy(input: $input) { ${STUDY_FIELDS} } }`;
const CREATE_ABLATION = `mutation($input: CreateAblationStudyInput!) { createAblationStudy(input: $input) { ${STUDY_FIELDS} } }`;
const CREATE_KD = `mutation($input: CreateKdFriendlinessStudyInput!) { createKdFriendlinessStudy(input: $input) { ${STUDY_FIELDS} } }`;
const STUDY = `query($id: ID!) { study(id: $id) { ${STUDY_FIELDS} dataset { name } cells { key status config } } }`;

/** A study as the test reads it; only the fields a test checks are typed. */
type StudyReply = {
  id: string;
  kind: string;
  status: string;
  complete: boolean;
  progress: Record<string, number>;
  missingCells: { key: string; status: string }[];
  [field: string]: unknown;
};

function firstError(reply: GraphqlReply): { message: string; code: string | undefined } {
  const error = reply.body.errors?.[0];
  return { message: error?.message ?? '', code: error?.extensions?.code };
}

function data<T>(reply: GraphqlReply): T {
  assert.equal(reply.body.errors, undefined, JSON.stringify(reply.body.errors));
  return reply.body.data as T;
}

function trainResult(accuracy: number): TrainCellResult {
  return {
    kind: 'train',
    accuracy,
    top5: 1,
    evaluatedOn: 'mini-val',
    latencyMs: 1,
    params: 1000,
    flops: 5000,
    trainMs: 10,
    backend: 'cpu',
    epochLosses: [1],
  };
}

/** Completes a cell with `result` as a worker would, then assembles the study result. */
async function completeCell(
  prisma: PrismaClient,
  studyId: string,
  key: string,
  result: object,
): Promise<void> {
  await prisma.studyCell.update({
    where: { studyId_key: { studyId, key } },
    data: { status: 'completed', attempts: 1, result },
  });
  await refreshStudyResult(prisma, studyId);
}

describe('studies', () => {
  let api: TestApi;
  let dataset: Dataset;
  let resnet: Teacher;
  let vgg: Teacher;
  let pending: Teacher;
  let foreign: Teacher;

  before(async () => {
    api = await startTestApi();
    dataset = await seedDataset(api.prisma, 'studies');
    resnet = await seedTeacher(api.prisma, dataset, 'resnet');
    vgg = await seedTeacher(api.prisma, dataset, 'vgg');
    pending = await seedTeacher(api.prisma, dataset, 'pending', 'training');
    foreign = await seedTeacher(api.prisma, await seedDataset(api.prisma, 'elsewhere'), 'resnet');
  });

  after(() => api.close());

  /** Sends `query` and checks that it failed as expected and that nothing was recorded or queued. */
  async function expectRejected(
    query: string,
    input: Record<string, unknown>,
    status: number,
    code: string,
    message: RegExp,
    token?: string,
  ): Promise<void> {
    const studiesBefore = await api.prisma.study.count();
    const experimentsBefore = await api.prisma.experiment.count();
    const jobsBefore = api.queue.jobs.length;
    const reply = await api.graphql(query, { input }, token);
    assert.equal(reply.status, status, JSON.stringify(reply.body));
    assert.equal(firstError(reply).code, code);
    assert.match(firstError(reply).message, message);
    assert.equal(await api.prisma.study.count(), studiesBefore, 'no study is recorded');
    assert.equal(await api.prisma.experiment.count(), experimentsBefore, 'no search is recorded');
    assert.equal(api.queue.jobs.length, jobsBefore, 'nothing is queued');
  }

  describe('similarity', () => {
    let study: StudyReply;

    it('records one queued cell', async () => {
      study = data<{ createSimilarityStudy: StudyReply }>(
        await api.graphql(CREATE_SIMILARITY, { input: { teacherIds: [resnet.id, vgg.id] } }),
      ).createSimilarityStudy;
      assert.equal(study.kind, 'SIMILARITY');
      assert.equal(study.status, 'PENDING');
      assert.equal(study.complete, false);
      assert.equal(study.split, 'TEST');
      assert.equal(study.includeGroundTruth, true);
      assert.equal(study.labelSmoothing, 0.01);
      assert.equal(study.similarity, null);
      assert.deepEqual(study.teachers, [
        { key: resnet.id, teacherId: resnet.id, name: 'resnet' },
        { key: vgg.id, teacherId: vgg.id, name: 'vgg' },
      ]);
      assert.deepEqual(study.progress, {
        total: 1,
        pending: 1,
        running: 0,
        completed: 0,
        failed: 0,
        cancelled: 0,
      });
      assert.deepEqual(study.missingCells, [{ key: 'similarity', status: 'PENDING' }]);
      const cell = await api.prisma.studyCell.findFirstOrThrow({ where: { studyId: study.id } });
      assert.deepEqual(api.queue.jobs.at(-1), { kind: 'study-cell', id: cell.id });
    });

    it('shows the matrix once the cell completes', async () => {
      const result: SimilarityCellResult = {
        kind: 'similarity',
        names: ['resnet', 'vgg', 'GT'],
        keys: [resnet.id, vgg.id, 'GT'],
        meanKl: [
          [0, 0.2, 1.5],
          [0.3, 0, 1.7],
          [2.5, 2.6, 0],
        ],
        agreement: [
          [1, 0.9, 0.92],
          [0.9, 1, 0.88],
          [0.92, 0.88, 1],
        ],
        samples: 1000,
        temperature: 1,
        labelSmoothing: 0.01,
      };
      await completeCell(api.prisma, study.id, 'similarity', result);
      const read = data<{ study: StudyReply }>(await api.graphql(STUDY, { id: study.id })).study;
      assert.equal(read.status, 'COMPLETED');
      assert.equal(read.complete, true);
      assert.deepEqual(read.missingCells, []);
      assert.deepEqual(read.similarity, {
        names: result.names,
        keys: result.keys,
        meanKl: result.meanKl,
        agreement: result.agreement,
        samples: 1000,
      });
      assert.deepEqual(read.dataset, { name: 'studies' });
    });

    const invalid: [string, Record<string, unknown>, number, string, RegExp][] = [
      ['one teacher', { teacherIds: [] }, 400, 'BAD_USER_INPUT', /at least 2 teachers, but 1 was given/],
      ['teachers of two datasets', { teacherIds: [] }, 400, 'BAD_USER_INPUT', /different datasets/],
      ['a teacher that is not ready', { teacherIds: [] }, 400, 'BAD_USER_INPUT', /is training, not ready/],
      ['an unknown teacher', { teacherIds: [] }, 404, 'NOT_FOUND', /Teacher .* does not exist/],
      ['a malformed teacher id', { teacherIds: [] }, 400, 'BAD_USER_INPUT', /Invalid teacher id "x"/],
      [
        'an unknown split',
        { split: 'VALIDATION' },
        400,
        'BAD_USER_INPUT',
        /"VALIDATION" does not exist in "SimilaritySplit" enum/,
      ],
      [
        'proxy settings on the test split',
        { proxy: { trainSize: 100 } },
        400,
        'BAD_USER_INPUT',
        /use a mini split/,
      ],
      ['a temperature of 0', { temperature: 0 }, 400, 'BAD_USER_INPUT', /Invalid temperature 0/],
    ];
    for (const [name, change, status, code, message] of invalid) {
      it(`rejects ${name}`, async () => {
        const teacherIds: Record<string, string[]> = {
          'one teacher': [resnet.id],
          'teachers of two datasets': [resnet.id, foreign.id],
          'a teacher that is not ready': [resnet.id, pending.id],
          'an unknown teacher': [resnet.id, UNKNOWN_ID],
          'a malformed teacher id': [resnet.id, 'x'],
        };
        const input = {
          teacherIds: [resnet.id, vgg.id],
          ...change,
          ...(teacherIds[name] ? { teacherIds: teacherIds[name] } : {}),
        };
        await expectRejected(CREATE_SIMILARITY, input, status, code, message);
      });
    }

    it('rejects a read-only token', async () => {
      await expectRejected(
        CREATE_SIMILARITY,
        { teacherIds: [resnet.id, vgg.id] },
        403,
        'FORBIDDEN',
        /editor/i,
        api.readerToken,
      );
    });

    it('records nothing when the queue is down', async () => {
      api.queue.failing = true;
      try {
        await expectRejected(
          CREATE_SIMILARITY,
          { teacherIds: [resnet.id, vgg.id] },
          503,
          'UNAVAILABLE',
          /queue is unavailable/,
        );
      } finally {
        api.queue.failing = false;
      }
    });
  });

  describe('ranking', () => {
    let study: StudyReply;
    const input = (): Record<string, unknown> => ({
      teacherIds: [resnet.id, vgg.id],
      students: { random: { count: 2, seed: 5 } },
      seeds: 2,
    });

    it('records a cell per student, teacher and seed', async () => {
      const jobsBefore = api.queue.jobs.length;
      study = data<{ createRankingStudy: StudyReply }>(
        await api.graphql(CREATE_RANKING, { input: input() }),
      ).createRankingStudy;
      assert.equal(study.kind, 'RANKING');
      assert.deepEqual(study.seeds, [1, 2]);
      assert.deepEqual(
        (study.teachers as { key: string }[]).map((teacher) => teacher.key),
        [resnet.id, vgg.id, 'GT'],
      );
      assert.equal((study.students as unknown[]).length, 2);
      assert.equal((study.training as { mode: string }).mode, 'PROXY');
      assert.equal(study.progress.total, 12);
      assert.equal(api.queue.jobs.length, jobsBefore + 12);
      assert.ok(api.queue.jobs.slice(jobsBefore).every((job) => job.kind === 'study-cell'));
      assert.deepEqual(
        (study.kendallTau as { tau: number | null }[]).map((pair) => pair.tau),
        [null, null, null],
      );
      assert.ok((study.rankings as { complete: boolean }[]).every((ranking) => !ranking.complete));
    });

    it('ranks students once every cell completes', async () => {
      const students = (study.students as { key: string }[]).map((student) => student.key);
      // Under resnet and GT s1 beats s2; under vgg s2 beats s1.
      const accuracy: Record<string, [number, number]> = {
        [resnet.id]: [0.8, 0.7],
        [vgg.id]: [0.6, 0.75],
        GT: [0.82, 0.71],
      };
      const cells = await api.prisma.studyCell.findMany({ where: { studyId: study.id } });
      for (const cell of cells) {
        const config = cell.config as { student: string; teacher: string; seed: number };
        const value = accuracy[config.teacher][students.indexOf(config.student)] + config.seed / 1000;
        await completeCell(api.prisma, study.id, cell.key, trainResult(value));
      }

      const read = data<{ study: StudyReply }>(await api.graphql(STUDY, { id: study.id })).study;
      assert.equal(read.complete, true);
      assert.equal(read.status, 'COMPLETED');
      const matrix = read.matrix as {
        student: string;
        teacher: string;
        accuracies: number[];
        mean: number;
      }[];
      assert.equal(matrix.length, 6);
      assert.deepEqual(matrix[0].accuracies, [0.801, 0.802]);
      assert.ok(Math.abs(matrix[0].mean - 0.8015) < 1e-12);
      const rankings = read.rankings as {
        teacherName: string;
        best: string[];
        ranks: { student: string; rank: number }[];
      }[];
      assert.deepEqual(
        rankings.map((ranking) => [ranking.teacherName, ranking.best]),
        [
          ['resnet', [students[0]]],
          ['vgg', [students[1]]],
          ['GT', [students[0]]],
        ],
      );
      const tau = read.kendallTau as { teacherA: string; teacherB: string; tau: number }[];
      assert.deepEqual(
        tau.map((pair) => [pair.teacherA, pair.teacherB, pair.tau]),
        [
          [resnet.id, vgg.id, -1],
          [resnet.id, 'GT', 1],
          [vgg.id, 'GT', -1],
        ],
      );
      assert.equal(read.incompleteReason, null);
      assert.equal(typeof read.tieRule, 'string');
    });

    const invalid: [string, Record<string, unknown>, number, RegExp][] = [
      ['zero seeds', { seeds: 0 }, 400, /Invalid seed count 0/],
      ['seeds and seedList together', { seedList: [1, 2] }, 400, /not both/],
      ['one teacher', { teacherIds: [] }, 400, /at least 2 teachers/],
      ['teachers of two datasets', { teacherIds: [] }, 400, /different datasets/],
      ['fewer than two students', { students: { random: { count: 1, seed: 5 } } }, 400, /student/],
      [
        'FULL settings in PROXY mode',
        { training: { epochs: 3 } },
        400,
        /training.epochs applies to FULL training only/,
      ],
    ];
    for (const [name, change, status, message] of invalid) {
      it(`rejects ${name}`, async () => {
        const teacherIds: Record<string, string[]> = {
          'one teacher': [vgg.id],
          'teachers of two datasets': [foreign.id, vgg.id],
        };
        const body = { ...input(), ...change, ...(teacherIds[name] ? { teacherIds: teacherIds[name] } : {}) };
        await expectRejected(CREATE_RANKING, body, status, 'BAD_USER_INPUT', message);
      });
    }

    it('cancels and resumes', async () => {
      const created = data<{ createRankingStudy: StudyReply }>(
        await api.graphql(CREATE_RANKING, { input: input() }),
      ).createRankingStudy;
      const cancelled = data<{ cancelStudy: StudyReply }>(
        await api.graphql(`mutation($id: ID!) { cancelStudy(id: $id) { ${STUDY_FIELDS} } }`, {
          id: created.id,
        }),
      ).cancelStudy;
      assert.equal(cancelled.status, 'CANCELLED');
      assert.equal(cancelled.progress.cancelled, 12);

      const jobsBefore = api.queue.jobs.length;
      const resumed = data<{ resumeStudy: StudyReply }>(
        await api.graphql(`mutation($id: ID!) { resumeStudy(id: $id) { ${STUDY_FIELDS} } }`, {
          id: created.id,
        }),
      ).resumeStudy;
      assert.equal(resumed.status, 'PENDING');
      assert.equal(resumed.progress.pending, 12);
      assert.equal(api.queue.jobs.length, jobsBefore + 12);

      const completed = await api.graphql(`mutation($id: ID!) { cancelStudy(id: $id) { id } }`, {
        id: study.id,
      });
      assert.equal(completed.status, 409);
    });
  });

  describe('ablation', () => {
    type AblationSearchReply = {
      latencyTargetMs: number;
      searchBy: string;
      experimentId: string;
      reused: boolean;
    };
    type AblationRowReply = {
      latencyTargetMs: number;
      entries: {
        searchBy: string;
        trainBy: string;
        top1: number | null;
        status: string;
        experimentId: string;
      }[];
    };
    let ablationStudyId: string;
    let ablationSearches: AblationSearchReply[];

    it('records a search per signal and four cells per target', async () => {
      const jobsBefore = api.queue.jobs.length;
      const study = data<{ createAblationStudy: StudyReply }>(
        await api.graphql(CREATE_ABLATION, {
          input: {
            teacherId: resnet.id,
            latencyTargetsMs: [2, 4],
            search: { budget: 4, generationSize: 2, strategy: 'RANDOM' },
            finalTraining: { epochs: 2 },
          },
        }),
      ).createAblationStudy;
      assert.equal(study.kind, 'ABLATION');
      assert.equal(study.progress.total, 8);
      assert.deepEqual(study.finalTraining, { epochs: 2, kd: { lambda: 0.9, temperature: 4 } });

      const searches = study.searches as AblationSearchReply[];
      assert.deepEqual(
        searches.map((search) => [search.latencyTargetMs, search.searchBy, search.reused]),
        [
          [2, 'HARD_LABEL', false],
          [2, 'DISTILLATION', false],
          [4, 'HARD_LABEL', false],
          [4, 'DISTILLATION', false],
        ],
      );

      const rows = study.rows as AblationRowReply[];
      const order = [
        'HARD_LABEL/HARD_LABEL',
        'HARD_LABEL/DISTILLATION',
        'DISTILLATION/HARD_LABEL',
        'DISTILLATION/DISTILLATION',
      ];
      assert.deepEqual(
        rows.map((row) => row.entries.map((entry) => `${entry.searchBy}/${entry.trainBy}`)),
        [order, order],
      );
      assert.equal(rows[0].entries[3].experimentId, searches[1].experimentId);

      const queued = api.queue.jobs.slice(jobsBefore);
      assert.equal(queued.filter((job) => job.kind === 'search').length, 4);
      assert.equal(queued.filter((job) => job.kind === 'study-cell').length, 8);
      ablationStudyId = study.id;
      ablationSearches = searches;
    });

    it('fills an entry once its cell completes', async () => {
      const result: AblationCellResult = {
        kind: 'ablation',
        experimentId: ablationSearches[1].experimentId,
        candidateId: UNKNOWN_ID,
        genomeHash: 'hash',
        trainedModelId: UNKNOWN_ID,
        reusedTrainedModel: false,
        top1: 0.91,
        top5: 0.99,
        latencyMs: 1.5,
        params: 1000,
        flops: 5000,
      };
      await completeCell(
        api.prisma,
        ablationStudyId,
        ablationCellKey(2, 'distillation', 'distillation'),
        result,
      );

      const read = data<{ study: StudyReply }>(await api.graphql(STUDY, { id: ablationStudyId })).study;
      const entries = (read.rows as AblationRowReply[])[0].entries;
      assert.equal(entries[3].top1, 0.91);
      assert.equal(entries[3].status, 'COMPLETED');
      assert.equal(entries[0].top1, null);
      assert.equal(entries[0].status, 'PENDING');
      assert.equal(read.progress.completed, 1);
      assert.equal(read.complete, false);
    });

    it('rejects no latency targets', async () => {
      await expectRejected(
        CREATE_ABLATION,
        {
          teacherId: resnet.id,
          latencyTargetsMs: [],
          search: { budget: 4, generationSize: 2 },
          finalTraining: { epochs: 2 },
        },
        400,
        'BAD_USER_INPUT',
        /at least one target/,
      );
    });

    it('rejects a teacher that is not ready', async () => {
      await expectRejected(
        CREATE_ABLATION,
        {
          teacherId: pending.id,
          latencyTargetsMs: [2],
          search: { budget: 4, generationSize: 2 },
          finalTraining: { epochs: 2 },
        },
        400,
        'BAD_USER_INPUT',
        /not ready/,
      );
    });
  });

  describe('KD-friendliness', () => {
    let akd: Experiment;
    let nas: Experiment;

    before(async () => {
      akd = await seedExperiment(api.prisma, dataset, resnet, 'completed');
      nas = await seedExperiment(api.prisma, dataset, null, 'completed');
      for (const experiment of [akd, nas]) {
        await api.prisma.generation.create({
          data: { experimentId: experiment.id, index: 0, status: 'completed', candidateIds: [] },
        });
        await api.prisma.generation.create({
          data: { experimentId: experiment.id, index: 1, status: 'running', candidateIds: [] },
        });
      }
      await seedCandidates(api.prisma, akd, [
        { accuracy: 0.8, latencyMs: 1, reward: 0.8 },
        { accuracy: 0.7, latencyMs: 1, reward: 0.7 },
      ]);
      // Distinct genomes from the AKD search's: seedCandidates restarts its generator on every call.
      const space = seededSpace();
      const rng = new Rng(99);
      for (const reward of [0.75, 0.65]) {
        const genome = sampleGenome(space, rng);
        await api.prisma.candidate.create({
          data: {
            experimentId: nas.id,
            generation: 0,
            genome: genome as unknown as object,
            genomeHash: `nas-${reward}`,
            params: 1000n,
            flops: 5000n,
            latencyMs: 1,
            latencyModel: 'measured',
            proxyAccuracy: reward,
            reward,
            status: 'completed',
          },
        });
      }
    });

    it('records a cell per student, method and seed', async () => {
      const study = data<{ createKdFriendlinessStudy: StudyReply }>(
        await api.graphql(CREATE_KD, {
          input: { akdExperimentId: akd.id, nasExperimentId: nas.id, generations: [0], topK: 1 },
        }),
      ).createKdFriendlinessStudy;
      assert.equal(study.kind, 'KD_FRIENDLINESS');
      assert.deepEqual(study.generations, [0]);
      assert.deepEqual(study.seeds, [1]);
      assert.equal((study.students as unknown[]).length, 2);
      assert.equal(study.progress.total, 4);

      const found = data<{ kdFriendliness: { id: string } | null }>(
        await api.graphql(
          'query($akd: ID!, $nas: ID!, $generations: [Int!]) { kdFriendliness(akdExperimentId: $akd, nasExperimentId: $nas, generations: $generations) { id } }',
          { akd: akd.id, nas: nas.id, generations: [0] },
        ),
      ).kdFriendliness;
      assert.equal(found?.id, study.id);
      const uncovered = data<{ kdFriendliness: unknown }>(
        await api.graphql(
          'query($akd: ID!, $nas: ID!) { kdFriendliness(akdExperimentId: $akd, nasExperimentId: $nas, generations: [0, 1]) { id } }',
          { akd: akd.id, nas: nas.id },
        ),
      ).kdFriendliness;
      assert.equal(uncovered, null);
    });

    const invalid: [string, () => Record<string, unknown>, RegExp][] = [
      [
        'a generation still running',
        () => ({ generations: [1] }),
        /Generation 1 .* is running, not completed/,
      ],
      ['zero seeds', () => ({ seeds: 0 }), /Invalid seed count 0/],
      [
        'swapped searches',
        () => ({ akdExperimentId: nas.id, nasExperimentId: akd.id }),
        /must search by distillation/,
      ],
      ['no generations', () => ({ generations: [] }), /No generations given/],
    ];
    for (const [name, change, message] of invalid) {
      it(`rejects ${name}`, async () => {
        const input = {
          akdExperimentId: akd.id,
          nasExperimentId: nas.id,
          generations: [0],
          topK: 1,
          ...change(),
        };
        await expectRejected(CREATE_KD, input, 400, 'BAD_USER_INPUT', message);
      });
    }
  });

  describe('queries', () => {
    it('pages studies newest first with filters', async () => {
      const ids: string[] = [];
      let after: string | null = null;
      let total = 0;
      for (let guard = 0; guard < 20; guard++) {
        const reply = await api.graphql(
          'query($datasetId: ID, $after: String) { studies(datasetId: $datasetId, first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id kind } } } }',
          { datasetId: dataset.id, after },
        );
        const page = data<{
          studies: {
            totalCount: number;
            pageInfo: { hasNextPage: boolean; endCursor: string };
            edges: { node: { id: string } }[];
          };
        }>(reply).studies;
        total = page.totalCount;
        ids.push(...page.edges.map((edge) => edge.node.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      assert.equal(total, await api.prisma.study.count({ where: { datasetId: dataset.id } }));
      assert.equal(ids.length, total);
      assert.deepEqual(ids, [...ids].sort().reverse());

      const ranking = data<{ studies: { edges: { node: { kind: string; progress: { total: number } } }[] } }>(
        await api.graphql(
          '{ studies(kind: RANKING, first: 100) { edges { node { kind progress { total } } } } }',
        ),
      ).studies.edges;
      assert.equal(ranking.length, 2);
      assert.ok(ranking.every((edge) => edge.node.kind === 'RANKING' && edge.node.progress.total === 12));
    });

    it('lists the cells of a study', async () => {
      const [row] = await api.prisma.study.findMany({
        where: { kind: 'ranking' },
        orderBy: { id: 'asc' },
        take: 1,
      });
      const reply = await api.graphql(
        'query($id: ID!) { study(id: $id) { cells(status: COMPLETED) { key status result } } }',
        {
          id: row.id,
        },
      );
      const cells = data<{ study: { cells: { status: string; result: { accuracy: number } }[] } }>(reply)
        .study.cells;
      assert.equal(cells.length, 12);
      assert.ok(cells.every((cell) => cell.status === 'COMPLETED' && cell.result.accuracy > 0));
    });

    it('study returns null for unknown ids', async () => {
      assert.deepEqual(
        data(await api.graphql('query($id: ID!) { study(id: $id) { id } }', { id: UNKNOWN_ID })),
        {
          study: null,
        },
      );
    });

    it('rejects a malformed study id', async () => {
      const reply = await api.graphql('query($id: ID!) { study(id: $id) { id } }', { id: 'nope' });
      assert.equal(reply.status, 400);
      assert.match(firstError(reply).message, /Invalid study id "nope"/);
    });
  });
});
