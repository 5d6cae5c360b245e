import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@akd/db/testing';
import { runCli } from './support.js';

let db: TestDatabase;
let dataDir: string;

before(async () => {
  db = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'akd-demo-'));
});

after(async () => {
  await db.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

// A demo small enough for the test suite: one shipped teacher, two candidates per search and a
// tiny proxy task on the committed subset.
const args = [
  'demo',
  '--quick',
  '--json',
  '--teachers',
  'vgg',
  '--budget',
  '2',
  '--generation-size',
  '2',
  '--proxy-train-size',
  '500',
  '--proxy-val-size',
  '200',
  '--proxy-epochs',
  '2',
  '--workers',
  '1',
];

describe('akd demo', () => {
  const env = () => ({ DATABASE_URL: db.url, AKD_DATA_DIR: dataDir, AKD_DATASET: 'fashion-mnist-subset' });

  it('resumes after Ctrl-C and ends with the JSON summary', async () => {
    let interrupted = false;
    const first = await runCli(args, {
      env: env(),
      onStderr: (chunk, child) => {
        // Interrupt once the first candidate has been scored.
        if (!interrupted && /search candidates: 1\/4/.test(chunk)) {
          interrupted = true;
          child.kill('SIGINT');
        }
      },
    });
    assert.ok(interrupted, `the demo was never interrupted:\n${first.stderr}`);
    assert.equal(first.code, 130, first.stderr);
    assert.match(first.stderr, /run the same command again to resume/);
    const statuses = await db.prisma.experiment.findMany({ select: { status: true } });
    assert.equal(statuses.length, 2);
    assert.ok(statuses.every((e) => e.status === 'paused' || e.status === 'completed'));

    const second = await runCli(args, { env: env() });
    assert.equal(second.code, 0, second.stderr);
    const lines = second.stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]) as {
      dataset: string;
      backend: string;
      teachers: { name: string; testAccuracy: number }[];
      experiments: {
        teacher: string | null;
        searchBy: string;
        candidates: number;
        best: {
          genomeHash: string;
          accuracy: number;
          latencyMs: number;
          params: number;
          flops: number;
          reward: number;
        };
      }[];
    };
    assert.equal(summary.dataset, 'fashion-mnist-subset');
    assert.equal(summary.backend, 'wasm');
    assert.deepEqual(
      summary.teachers.map((t) => t.name),
      ['vgg'],
    );
    assert.ok(
      summary.teachers[0].testAccuracy >= 0.8,
      `teacher accuracy ${summary.teachers[0].testAccuracy}`,
    );
    assert.deepEqual(
      summary.experiments.map((e) => [e.teacher, e.searchBy]),
      [
        ['vgg', 'distillation'],
        [null, 'hard-label'],
      ],
    );
    for (const experiment of summary.experiments) {
      assert.equal(experiment.candidates, 2);
      assert.ok(
        experiment.best.accuracy > 0.1,
        `best accuracy ${experiment.best.accuracy} is not above chance`,
      );
      assert.ok(experiment.best.accuracy <= 1);
      assert.ok(experiment.best.latencyMs > 0);
      assert.ok(experiment.best.params > 0);
      assert.ok(experiment.best.flops > 0);
      assert.match(experiment.best.genomeHash, /^[0-9a-f]{64}$/);
    }
    assert.match(second.stdout, /Teacher vgg .* searched by distillation/);
    assert.match(second.stdout, /proxy acc/);

    const candidates = await db.prisma.candidate.findMany({
      select: { experimentId: true, genomeHash: true, status: true },
    });
    assert.equal(candidates.length, 4);
    assert.ok(candidates.every((c) => c.status === 'completed'));
    const logits = await db.prisma.teacherLogits.count();
    assert.equal(logits, 1, 'teacher logits are computed once and reused on resume');
  });
});
