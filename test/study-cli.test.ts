import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadDatasetAt, locateDefaultDataset } from '@akd/data';
import { createTestDatabase, type TestDatabase } from '@akd/db/testing';
import { buildStudent, initBackend, saveModel } from '@akd/engine';
import { registerDataset } from '@akd/runner';
import type { SearchSpace } from '@akd/search-space';
import { runCli } from './support.js';

let db: TestDatabase;
let dataDir: string;
let env: Record<string, string>;

/**
 * Registers the subset and two ready teachers whose models are untrained tiny students, so the
 * commands need not import the zoo teachers, which takes most of a minute.
 */
async function recordTinyTeachers(): Promise<void> {
  await initBackend();
  const location = locateDefaultDataset({ env: { AKD_DATASET: 'fashion-mnist-subset' } });
  const dataset = await loadDatasetAt(location);
  const datasetRow = await registerDataset(db.prisma, location, dataset);
  const space: SearchSpace = {
    inputShape: dataset.shape,
    numClasses: dataset.numClasses,
    stemFilters: 8,
    stemStride: 2,
    blocks: [{ baseFilters: 8, baseLayers: 1, stride: 2 }],
    headFilters: 16,
    allowEmptyBlocks: false,
  };
  const gene = {
    op: 'conv',
    kernelSize: 3,
    seRatio: 0,
    skip: 'none',
    filterMultiplier: 1,
    layerDelta: 0,
  } as const;
  for (const [name, seed] of [
    ['tiny-a', 1],
    ['tiny-b', 2],
  ] as const) {
    const model = buildStudent(space, { blocks: [gene] }, seed);
    const dir = join(dataDir, 'teachers', name);
    await saveModel(model, dir);
    model.dispose();
    await db.prisma.teacher.create({
      data: {
        datasetId: datasetRow.id,
        name,
        source: 'imported_model',
        family: 'student',
        config: {},
        trainingSettings: {},
        status: 'ready',
        artifactDir: dir,
        testAccuracy: 0.1,
      },
    });
  }
}

before(async () => {
  db = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'akd-study-cli-'));
  env = {
    DATABASE_URL: db.url,
    AKD_DATA_DIR: dataDir,
    AKD_DATASET: 'fashion-mnist-subset',
    AKD_LOG_LEVEL: 'warn',
  };
  await recordTinyTeachers();
});

after(async () => {
  await db.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Parses the last line of `stdout`, which --json prints. */
function lastJson<T>(stdout: string): T {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

describe('akd study', () => {
  it('similarity prints KL and agreement', async () => {
    const run = await runCli(
      [
        'study',
        'similarity',
        '--teachers',
        'tiny-a,tiny-b',
        '--split',
        'mini-val',
        '--name',
        'cli similarity',
        '--json',
      ],
      { env },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /"cli similarity": similarity, completed \(1\/1 cells completed, 0 failed\)/);
    assert.match(run.stdout, /Mean KL\(row ‖ column\) in nats on mini-val \(1000 samples/);
    assert.match(run.stdout, /Top-1 agreement/);
    const study = lastJson<{ id: string; status: string; result: { similarity: { names: string[] } } }>(
      run.stdout,
    );
    assert.equal(study.status, 'completed');
    assert.deepEqual(study.result.similarity.names, ['tiny-a', 'tiny-b', 'GT']);

    const shown = await runCli(['study', 'show', study.id], { env });
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /Top-1 agreement/);
    const listed = await runCli(['study', 'list', '--json'], { env });
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(
      lastJson<{ id: string }[]>(listed.stdout).map((row) => row.id),
      [study.id],
    );
  });

  it('queues a study with --queue', async () => {
    const run = await runCli(['study', 'similarity', '--teachers', 'tiny-a,tiny-b', '--queue', '--json'], {
      env,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /Queued study .* with 1 cells; workers run them/);
    const study = lastJson<{ id: string; status: string }>(run.stdout);
    assert.equal(study.status, 'pending');
    const cell = await db.prisma.studyCell.findFirstOrThrow({ where: { studyId: study.id } });
    const jobs = await db.prisma.$queryRawUnsafe<{ state: string }[]>(
      `SELECT state::text FROM pgboss.job WHERE name = 'study-cell' AND singleton_key = $1`,
      cell.id,
    );
    assert.deepEqual(
      jobs.map((job) => job.state),
      ['created'],
    );
  });

  it('ranking rejects one teacher', async () => {
    const before = await db.prisma.study.count();
    const run = await runCli(['study', 'ranking', '--teachers', 'tiny-a', '--random', '2', '--seeds', '1'], {
      env,
    });
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /error: --teachers "tiny-a" names 1 teacher, but a ranking study needs at least 2: pass comma-separated/,
    );
    assert.equal(await db.prisma.study.count(), before);
  });

  it('ranking rejects one teacher given twice', async () => {
    const teacher = await db.prisma.teacher.findFirstOrThrow({ where: { name: 'tiny-a' } });
    const run = await runCli(
      ['study', 'ranking', '--teachers', `tiny-a,tiny-b,${teacher.id}`, '--random', '2', '--seeds', '1'],
      { env },
    );
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, new RegExp(`"tiny-a" and "${teacher.id}" are the same teacher`));
  });

  it('ranking rejects an unknown id before preparing zoo teachers', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const run = await runCli(
      ['study', 'ranking', '--teachers', `resnet,${id}`, '--random', '2', '--seeds', '1'],
      {
        env,
        timeoutMs: 60_000,
      },
    );
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, new RegExp(`No teacher "${id}" in dataset fashion-mnist-subset`));
    assert.doesNotMatch(run.stderr, /teacher resnet:/, 'resnet was not made ready');
  });

  it('ranking rejects zero seeds', async () => {
    const run = await runCli(
      ['study', 'ranking', '--teachers', 'tiny-a,tiny-b', '--random', '2', '--seeds', '0'],
      {
        env,
      },
    );
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /--seeds.*expected a whole number of at least 1, got "0"/);
  });

  it('ranking rejects an unknown teacher name', async () => {
    const run = await runCli(
      ['study', 'ranking', '--teachers', 'tiny-a,nosuch', '--random', '2', '--seeds', '1'],
      {
        env,
      },
    );
    assert.equal(run.code, 2);
    assert.match(run.stderr, /No teacher "nosuch" in dataset fashion-mnist-subset/);
  });

  it('ranking rejects a missing student selection', async () => {
    const run = await runCli(['study', 'ranking', '--teachers', 'tiny-a,tiny-b', '--seeds', '1'], { env });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /No students selected: give --random N/);
  });
});

describe('akd study input checks', () => {
  // The dataset cannot load, so each error below comes from a check that runs before it.
  const noDataset = (): Record<string, string> => ({ ...env, AKD_DATASET: '/nonexistent/akd-images' });
  const ranking = ['study', 'ranking', '--random', '2', '--seeds', '1'];
  const cases = [
    {
      name: 'ranking with one zoo teacher',
      args: [...ranking, '--teachers', 'resnet'],
      error:
        /error: --teachers "resnet" names 1 teacher, but a ranking study needs at least 2: pass comma-separated teacher names or ids, such as --teachers resnet,vgg\./,
    },
    {
      name: 'ranking with a repeated teacher',
      args: [...ranking, '--teachers', 'resnet,vgg,resnet'],
      error: /error: --teachers "resnet,vgg,resnet" lists "resnet" twice: list each teacher once\./,
    },
    {
      name: 'ranking with one student',
      args: ['study', 'ranking', '--teachers', 'resnet,vgg', '--random', '1', '--seeds', '1'],
      error: /error: The student selection gives at most 1 student, but a ranking study needs at least 2/,
    },
    {
      name: 'ranking with too many seeds',
      args: ['study', 'ranking', '--teachers', 'resnet,vgg', '--random', '2', '--seeds', '21'],
      error: /error: Invalid seed count 21/,
    },
    {
      name: 'similarity with one teacher',
      args: ['study', 'similarity', '--teachers', 'resnet'],
      error: /error: --teachers "resnet" names 1 teacher, but a similarity study needs at least 2/,
    },
    {
      name: 'ablation with two teachers',
      args: [
        'study',
        'ablation',
        '--teacher',
        'resnet,vgg',
        '--targets',
        '4',
        '--budget',
        '2',
        '--generation-size',
        '2',
        '--final-epochs',
        '1',
      ],
      error:
        /error: --teacher "resnet,vgg" names 2 teachers, but an ablation takes at most 1: pass one teacher name or id/,
    },
    {
      name: 'kd-friendliness with a repeated generation',
      args: ['study', 'kd-friendliness', '--akd', 'a', '--nas', 'b', '--generations', '1,1', '--top-k', '1'],
      error: /error: Generation 1 is listed twice/,
    },
  ];
  for (const { name, args, error } of cases) {
    it(`rejects ${name} before loading the dataset`, async () => {
      const run = await runCli(args, { env: noDataset(), timeoutMs: 60_000 });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, error);
      assert.doesNotMatch(run.stderr, /AKD_DATASET/);
    });
  }
});
