import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@akd/db/testing';
import { runCli, type CliRun } from './support.js';

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
  '--api-port',
  '0',
];

/** Returns the pids of the API and the worker that the demo printed. */
function servicePids(run: CliRun): number[] {
  const match = /API pid (\d+), worker pid (\d+)/.exec(run.stdout);
  assert.ok(match, `the demo printed no service processes:\n${run.stdout}`);
  return [Number(match[1]), Number(match[2])];
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('akd demo', () => {
  const env = () => ({ DATABASE_URL: db.url, AKD_DATA_DIR: dataDir, AKD_DATASET: 'fashion-mnist-subset' });
  // Each run trains real candidates, which takes minutes on a busy 2-core machine.
  const timeoutMs = 600_000;

  it('resumes after Ctrl-C and ends with the JSON summary', async () => {
    let interrupted = false;
    const first = await runCli(args, {
      env: env(),
      timeoutMs,
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
    for (const pid of servicePids(first)) assert.equal(isRunning(pid), false, `process ${pid} still runs`);

    // The token printed is the one stored for the next runs, readable only by its owner.
    const tokenFile = join(dataDir, 'demo-token');
    const token = readFileSync(tokenFile, 'utf8').trim();
    assert.match(first.stdout, new RegExp(`token +${token}`));
    assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
    const apiUrl = /GraphQL +(http:\/\/127\.0\.0\.1:\d+)\/graphql/.exec(first.stdout)?.[1];
    assert.ok(apiUrl, first.stdout);
    assert.match(first.stdout, new RegExp(`health +${apiUrl}/health`));
    assert.match(first.stdout, new RegExp(`metrics +${apiUrl}/metrics`));
    assert.doesNotMatch(first.stdout, /dashboard/, 'no dashboard runs without --web');
    assert.match(
      first.stdout,
      /Searches:\n {2}vgg +experiment [0-9a-f-]{36}, created\n {2}hard-label +experiment [0-9a-f-]{36}, created\n/,
    );
    // The experiments went through the API: it logged their creation.
    const apiLog = readFileSync(join(dataDir, 'logs', 'api.log'), 'utf8');
    assert.equal(apiLog.match(/experiment created/g)?.length, 2);
    assert.match(apiLog, /transition=pause/);

    // The second run resumes through the API and, with --serve, keeps it up until Ctrl-C.
    let servedUrl = '';
    let served: Promise<{ status: number; names: string[] }> | null = null;
    const second = await runCli([...args, '--serve'], {
      env: env(),
      timeoutMs,
      onStdout: (chunk) => {
        servedUrl ||= /GraphQL +(http:\/\/[^ ]+)\/graphql/.exec(chunk)?.[1] ?? '';
      },
      onStderr: (chunk, child) => {
        if (served || !/press Ctrl-C to stop them/.test(chunk)) return;
        served = fetch(`${servedUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: '{ experiments(first: 10) { edges { node { name status } } } }' }),
        })
          .then(async (response) => {
            const body = (await response.json()) as {
              data: { experiments: { edges: { node: { name: string; status: string } }[] } };
            };
            const names = body.data.experiments.edges
              .filter((edge) => edge.node.status === 'COMPLETED')
              .map((edge) => edge.node.name);
            return { status: response.status, names };
          })
          .finally(() => child.kill('SIGINT'));
      },
    });
    assert.equal(second.code, 0, second.stderr);
    assert.ok(served, `the demo did not keep serving:\n${second.stderr}`);
    const reply = await (served as Promise<{ status: number; names: string[] }>);
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.names.sort(), ['demo quick hard-label', 'demo quick vgg']);
    for (const pid of servicePids(second)) assert.equal(isRunning(pid), false, `process ${pid} still runs`);
    assert.match(readFileSync(join(dataDir, 'logs', 'api.log'), 'utf8'), /transition=resume/);
    for (const name of ['vgg', 'hard-label']) {
      assert.match(
        second.stdout,
        new RegExp(`  ${name} +experiment [0-9a-f-]{36}, (resumed|reused \\(completed by an earlier run)`),
      );
    }
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
    const [distilled] = summary.experiments as unknown as { id: string }[];
    assert.match(
      second.stdout,
      new RegExp(`experiment ${distilled.id}: the 2 best of 2 completed candidates by reward`),
    );
    assert.match(
      second.stdout,
      /proxy acc: top-1 on the \d+ mini-val images after \d+ epochs? on \d+ mini-train images\./,
    );
    assert.match(second.stdout, /reward: proxy acc × \(latency \/ target\)\^-0\.07\./);
    assert.match(second.stdout, /npm run akd -- export --experiment [0-9a-f-]{36} --best --train --out DIR/);

    const candidates = await db.prisma.candidate.findMany({
      select: { experimentId: true, genomeHash: true, status: true },
    });
    assert.equal(candidates.length, 4);
    assert.ok(candidates.every((c) => c.status === 'completed'));
    const logits = await db.prisma.teacherLogits.count();
    assert.equal(logits, 1, 'teacher logits are computed once and reused on resume');
  });
});
