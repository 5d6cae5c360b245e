import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { FASHION_MNIST_SUBSET_DIR, loadFashionMnist } from '@akd/data';
import type { Dataset } from '@akd/db';
import { encodeNpy } from '@akd/teachers';
import {
  HUGE_PARAMS,
  seedCandidates,
  seedDataset,
  seedExperiment,
  seedTeacher,
  startTestApi,
  type TestApi,
} from '../testing/harness.js';
import { readZip } from '../testing/zip-reader.js';

const MIB = 1024 * 1024;
const UNKNOWN_ID = '0193a1b2-0000-7000-8000-000000000000';

interface RestReply {
  status: number;
  body: Buffer;
  json(): { error?: { code: string; message: string } } & Record<string, unknown>;
}

async function request(url: string, init: RequestInit & { token?: string | null } = {}): Promise<RestReply> {
  const { token, ...rest } = init;
  const response = await fetch(url, {
    ...rest,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(rest.headers as Record<string, string> | undefined),
    },
  });
  const body = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    body,
    json: () => JSON.parse(body.toString('utf8')) as ReturnType<RestReply['json']>,
  };
}

function subsetFile(name: string): Promise<Buffer> {
  return readFile(join(FASHION_MNIST_SUBSET_DIR, `${name}.gz`));
}

/** Builds a form with the four IDX files of the committed Fashion-MNIST subset, each field in `replace` swapped in. */
async function idxForm(name: string, replace: Partial<Record<string, Buffer>> = {}): Promise<FormData> {
  const form = new FormData();
  form.set('name', name);
  const files = {
    trainImages: 'train-images-idx3-ubyte',
    trainLabels: 'train-labels-idx1-ubyte',
    testImages: 't10k-images-idx3-ubyte',
    testLabels: 't10k-labels-idx1-ubyte',
  };
  for (const [field, file] of Object.entries(files)) {
    const bytes = replace[field] ?? (await subsetFile(file));
    form.set(field, new Blob([bytes]), `${file}.gz`);
  }
  return form;
}

describe('REST endpoints', () => {
  let api: TestApi;
  let seeded: Dataset;

  before(async () => {
    api = await startTestApi({ uploadMaxBytes: 3 * MIB });
    seeded = await seedDataset(api.prisma, 'seeded');
  });

  after(() => api.close());

  async function stagingLeftovers(): Promise<string[]> {
    return readdir(join(api.config.dataDir, 'uploads')).catch(() => []);
  }

  describe('health and metrics', () => {
    it('health reports the database and queue', async () => {
      const reply = await request(`${api.url}/health`);
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.json(), { status: 'ok', database: 'up', queueDepth: 0, queues: {} });
      await api.queue.enqueueSearch(seeded.id);
      assert.deepEqual((await request(`${api.url}/health`)).json(), {
        status: 'ok',
        database: 'up',
        queueDepth: 1,
        queues: { search: { queued: 1, active: 0 } },
      });
      api.queue.jobs.length = 0;
    });

    it('health is 503 when the queue is unreadable', async () => {
      const original = api.queue.queueDepth.bind(api.queue);
      api.queue.queueDepth = () => Promise.reject(new Error('down'));
      try {
        const reply = await request(`${api.url}/health`);
        assert.equal(reply.status, 503);
        assert.deepEqual(reply.json(), {
          status: 'unavailable',
          database: 'up',
          queueDepth: null,
          queues: null,
        });
      } finally {
        api.queue.queueDepth = original;
      }
    });

    it('metrics exposes counts in Prometheus text', async () => {
      const experiment = await seedExperiment(api.prisma, seeded, null, 'running');
      await seedCandidates(api.prisma, experiment, [{ accuracy: 0.5, latencyMs: 1, reward: 0.5 }, {}]);
      await api.queue.enqueueSearch(experiment.id);
      await request(`${api.url}/health`);
      await api.graphql('{ datasets { id } }');
      const reply = await request(`${api.url}/metrics`);
      assert.equal(reply.status, 200);
      const text = reply.body.toString('utf8');
      assert.match(text, /^akd_experiments\{status="running"\} 1$/m);
      assert.match(text, /^akd_experiments\{status="queued"\} 0$/m);
      assert.match(text, /^akd_candidates_completed 1$/m);
      assert.match(text, /^akd_candidates\{status="pending"\} 1$/m);
      assert.match(text, /^akd_queue_depth 1$/m);
      assert.match(text, /^akd_queue_jobs\{queue="search",state="queued"\} 1$/m);
      assert.match(text, /^akd_http_requests_total\{method="GET",route="\/health",status="200"\} [1-9]\d*$/m);
      assert.match(
        text,
        /^akd_http_requests_total\{method="POST",route="\/graphql",status="200"\} [1-9]\d*$/m,
      );
    });
  });

  describe('model download', () => {
    let modelId: string;

    before(async () => {
      const experiment = await seedExperiment(api.prisma, seeded, null, 'completed');
      const [candidate] = await seedCandidates(api.prisma, experiment, [
        { accuracy: 0.9, latencyMs: 1, reward: 0.9 },
      ]);
      const dir = join(api.config.artifactDir, 'models', randomUUID());
      await mkdir(dir, { recursive: true });
      await writeFile(
        join(dir, 'model.json'),
        JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['./weights.bin'], weights: [] }] }),
      );
      await writeFile(join(dir, 'weights.bin'), Buffer.from([1, 2, 3, 4]));
      const model = await api.prisma.trainedModel.create({
        data: {
          candidateId: candidate.id,
          experimentId: experiment.id,
          method: 'hard_label',
          epochs: 1,
          settings: {},
          status: 'completed',
          artifactDir: dir,
          params: HUGE_PARAMS,
          testTop1: 0.91,
        },
      });
      modelId = model.id;
    });

    it('sends model, weights, genome and metadata as a zip', async () => {
      const reply = await request(`${api.url}/api/models/${modelId}/download`, { token: api.readerToken });
      assert.equal(reply.status, 200);
      const entries = readZip(reply.body);
      assert.deepEqual([...entries.keys()].sort(), [
        'genome.json',
        'metadata.json',
        'model.json',
        'weights.bin',
      ]);
      assert.deepEqual([...(entries.get('weights.bin') ?? [])], [1, 2, 3, 4]);
      const metadata = JSON.parse(entries.get('metadata.json')?.toString('utf8') ?? '{}') as {
        params: string;
        method: string;
      };
      assert.equal(metadata.params, HUGE_PARAMS.toString());
      assert.equal(metadata.method, 'hard-label');
      assert.ok(JSON.parse(entries.get('genome.json')?.toString('utf8') ?? 'null'));
    });

    it('needs a token even with public reads', async () => {
      assert.equal((await request(`${api.url}/api/models/${modelId}/download`)).status, 401);
      const sibling = await api.startSibling({ publicRead: true });
      assert.equal((await request(`${sibling.url}/api/models/${modelId}/download`)).status, 401);
    });

    it('unknown id is 404', async () => {
      const reply = await request(`${api.url}/api/models/${UNKNOWN_ID}/download`, { token: api.readerToken });
      assert.equal(reply.status, 404);
      assert.equal(reply.json().error?.code, 'NOT_FOUND');
    });

    for (const id of ['..%2F..%2Fetc%2Fpasswd', '..%2F..%2F..', '%2Fetc%2Fpasswd', 'model.json']) {
      it(`rejects the path-escape id ${id}`, async () => {
        const reply = await request(`${api.url}/api/models/${id}/download`, { token: api.readerToken });
        assert.equal(reply.status, 400);
        assert.match(reply.json().error?.message ?? '', /Invalid model id/);
      });
    }

    it('refuses a stored folder outside the artifact directory', async () => {
      const outside = await api.prisma.trainedModel.create({
        data: { method: 'hinton', epochs: 1, settings: {}, status: 'completed', artifactDir: '/etc' },
      });
      const reply = await request(`${api.url}/api/models/${outside.id}/download`, { token: api.readerToken });
      assert.equal(reply.status, 403);
    });

    it('unfinished model is 404', async () => {
      const pending = await api.prisma.trainedModel.create({
        data: { method: 'hinton', epochs: 1, settings: {}, status: 'running' },
      });
      const reply = await request(`${api.url}/api/models/${pending.id}/download`, { token: api.readerToken });
      assert.equal(reply.status, 404);
      assert.match(reply.json().error?.message ?? '', /no files to download yet/);
    });
  });

  describe('dataset upload', () => {
    const upload = (form: FormData, token: string | null = api.editorToken) =>
      request(`${api.url}/api/datasets`, { method: 'POST', body: form, token });

    it('registers the uploaded IDX files', async () => {
      const reply = await upload(await idxForm('fm-upload'));
      assert.equal(reply.status, 201, reply.body.toString());
      const dataset = reply.json().dataset as {
        id: string;
        name: string;
        trainCount: number;
        testCount: number;
        numClasses: number;
      };
      assert.equal(dataset.name, 'fm-upload');
      assert.equal(dataset.trainCount, 6000);
      assert.equal(dataset.testCount, 1000);
      const row = await api.prisma.dataset.findUniqueOrThrow({ where: { id: dataset.id } });
      assert.ok(row.directory.startsWith(join(api.config.dataDir, 'datasets')));
      assert.equal((await readdir(row.directory)).length, 4);
      assert.deepEqual(await stagingLeftovers(), []);
    });

    it('returns the registered dataset for the same contents', async () => {
      const reply = await upload(await idxForm('fm-again'));
      assert.equal(reply.status, 200);
      assert.equal((reply.json().dataset as { name: string }).name, 'fm-upload');
    });

    it('rejects files that are not a dataset', async () => {
      const before = await api.prisma.dataset.count();
      const reply = await upload(await idxForm('junk', { trainImages: Buffer.from('these are not images') }));
      assert.equal(reply.status, 422);
      assert.equal(reply.json().error?.code, 'INVALID_FILE');
      assert.match(
        reply.json().error?.message ?? '',
        /^train-images-idx3-ubyte has the invalid IDX magic number/,
      );
      assert.equal(await api.prisma.dataset.count(), before);
      assert.deepEqual(await stagingLeftovers(), []);
    });

    it('rejects a truncated file', async () => {
      const images = gunzipSync(await subsetFile('train-images-idx3-ubyte'));
      const reply = await upload(
        await idxForm('cut', { trainImages: images.subarray(0, images.length / 2) }),
      );
      assert.equal(reply.status, 422);
      assert.match(reply.json().error?.message ?? '', /truncated/);
      assert.ok(
        !(reply.json().error?.message ?? '').includes(api.config.dataDir),
        'no server path in the message',
      );
    });

    it('rejects a file above the size limit', async () => {
      const before = await api.prisma.dataset.count();
      const reply = await upload(await idxForm('huge', { trainImages: Buffer.alloc(4 * MIB, 1) }));
      assert.equal(reply.status, 413);
      assert.match(reply.json().error?.message ?? '', /exceeds the upload limit of 3145728 bytes/);
      assert.equal(await api.prisma.dataset.count(), before);
      assert.deepEqual(await stagingLeftovers(), []);
    });

    it('rejects a missing file', async () => {
      const form = await idxForm('partial');
      form.delete('testLabels');
      const reply = await upload(form);
      assert.equal(reply.status, 400);
      assert.match(reply.json().error?.message ?? '', /t10k-labels-idx1-ubyte/);
    });

    it('rejects a request that is not multipart', async () => {
      const reply = await request(`${api.url}/api/datasets`, {
        method: 'POST',
        body: JSON.stringify({ name: 'x' }),
        headers: { 'content-type': 'application/json' },
        token: api.editorToken,
      });
      assert.equal(reply.status, 400);
      assert.match(reply.json().error?.message ?? '', /multipart\/form-data/);
    });

    it('needs an editor token', async () => {
      assert.equal((await upload(await idxForm('anon'), null)).status, 401);
      assert.equal((await upload(await idxForm('reader'), api.readerToken)).status, 403);
    });
  });

  describe('teacher import and download', () => {
    const importTeacher = (form: FormData) =>
      request(`${api.url}/api/teachers/import`, { method: 'POST', body: form, token: api.editorToken });

    function logitsForm(dataset: Dataset, name: string, train: Buffer, test?: Buffer): FormData {
      const form = new FormData();
      form.set('datasetId', dataset.id);
      form.set('name', name);
      form.set('train', new Blob([train]), 'train.npy');
      if (test) form.set('test', new Blob([test]), 'test.npy');
      return form;
    }

    it('imports logits and scores the test split', async () => {
      const uploaded = await api.prisma.dataset.findUniqueOrThrow({ where: { name: 'fm-upload' } });
      const subset = await loadFashionMnist(FASHION_MNIST_SUBSET_DIR);
      const oneHot = (labels: Uint8Array) => {
        const values = new Float32Array(labels.length * 10);
        labels.forEach((label, row) => (values[row * 10 + label] = 5));
        return encodeNpy(values, labels.length, 10);
      };
      const reply = await importTeacher(
        logitsForm(uploaded, 'oracle', oneHot(subset.train.labels), oneHot(subset.test.labels)),
      );
      assert.equal(reply.status, 201, reply.body.toString());
      const teacher = reply.json().teacher as {
        id: string;
        source: string;
        status: string;
        testAccuracy: number;
        downloadable: boolean;
      };
      assert.equal(teacher.source, 'imported-logits');
      assert.equal(teacher.status, 'ready');
      assert.equal(teacher.testAccuracy, 1);
      assert.equal(teacher.downloadable, true);
      const logits = await api.prisma.teacherLogits.findMany({
        where: { teacherId: teacher.id },
        orderBy: { split: 'asc' },
      });
      assert.deepEqual(
        logits.map((row) => [row.split, row.count, row.classes]),
        [
          ['test', 1000, 10],
          ['train', 6000, 10],
        ],
      );

      const download = await request(`${api.url}/api/teachers/${teacher.id}/download`, {
        token: api.readerToken,
      });
      assert.equal(download.status, 200);
      assert.deepEqual([...readZip(download.body).keys()].sort(), ['metadata.json', 'test.npy', 'train.npy']);
    });

    it('rejects logits of the wrong shape', async () => {
      const before = await api.prisma.teacher.count();
      const reply = await importTeacher(logitsForm(seeded, 'wrong', encodeNpy(new Float32Array(20), 2, 10)));
      assert.equal(reply.status, 422);
      assert.match(
        reply.json().error?.message ?? '',
        /train\.npy has shape \(2, 10\), but dataset seeded needs \(6000, 10\)/,
      );
      assert.equal(await api.prisma.teacher.count(), before);
      assert.deepEqual(await stagingLeftovers(), []);
    });

    it('rejects a file that is not .npy', async () => {
      const reply = await importTeacher(logitsForm(seeded, 'text', Buffer.from('hello')));
      assert.equal(reply.status, 422);
      assert.match(reply.json().error?.message ?? '', /not a \.npy file/);
    });

    it('rejects a truncated .npy', async () => {
      const full = encodeNpy(new Float32Array(6000 * 10), 6000, 10);
      const reply = await importTeacher(logitsForm(seeded, 'cut', full.subarray(0, full.length - 100)));
      assert.equal(reply.status, 422);
      assert.match(reply.json().error?.message ?? '', /truncated/);
    });

    it('rejects an unknown dataset', async () => {
      const form = logitsForm(seeded, 'lost', encodeNpy(new Float32Array(10), 1, 10));
      form.set('datasetId', UNKNOWN_ID);
      assert.equal((await importTeacher(form)).status, 404);
    });

    it('teacher without files is 404', async () => {
      const teacher = await seedTeacher(api.prisma, seeded, 'no-files');
      const reply = await request(`${api.url}/api/teachers/${teacher.id}/download`, {
        token: api.readerToken,
      });
      assert.equal(reply.status, 404);
      assert.match(reply.json().error?.message ?? '', /no files to download/);
    });

    it('teacher download rejects a path-escape id', async () => {
      const reply = await request(`${api.url}/api/teachers/..%2F..%2Fetc/download`, {
        token: api.readerToken,
      });
      assert.equal(reply.status, 400);
    });
  });
});
