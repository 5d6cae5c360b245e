import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gatherImages } from '@akd/data';
import type { Experiment } from '@akd/db';
import { loadModel, predictLogits } from '@akd/engine';
import { fullSplitIndices, recordFinalModel, trainFinalModel } from '@akd/runner';
import {
  recordCandidate,
  recordExperiment,
  setUpFinalTraining,
  STUDENT_GENOME,
  type FinalTrainingSetup,
} from '../../../../libs/runner/src/final-test-support.js';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

let setup: FinalTrainingSetup;
let out: string;
let modelId: string;
/** Hard-label experiment with a completed candidate and no trained model. */
let untrained: Experiment;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `akd ARGS` against the test database and returns its exit code and output. */
function akd(...args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      env: {
        ...process.env,
        DATABASE_URL: setup.db.url,
        AKD_DATA_DIR: setup.dataDir,
        AKD_LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function lastJsonLine(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
}

before(async () => {
  setup = await setUpFinalTraining();
  out = await mkdtemp(join(tmpdir(), 'akd-cli-export-'));
  const row = await recordFinalModel(setup.db.prisma, {
    candidateId: setup.candidate.id,
    method: 'hinton',
    epochs: 1,
  });
  modelId = (await trainFinalModel(setup.db.prisma, row.id)).trainedModel.id;
  untrained = await recordExperiment(setup.db.prisma, setup.datasetRow, null, setup.space);
  await recordCandidate(setup.db.prisma, untrained, setup.space, STUDENT_GENOME);
});

after(async () => {
  await setup?.cleanup();
  await rm(out, { recursive: true, force: true });
});

describe('akd export', () => {
  it('exports a model by id', async () => {
    const dir = join(out, 'by-id');
    const result = await akd('export', modelId, '--out', dir, '--json');
    assert.equal(result.code, 0, result.stderr);
    const summary = lastJsonLine(result.stdout);
    const row = await setup.db.prisma.trainedModel.findUniqueOrThrow({ where: { id: modelId } });
    assert.equal(summary.trainedModelId, modelId);
    assert.equal(summary.dir, dir);
    assert.equal(summary.method, 'hinton');
    assert.equal(summary.teacher, setup.teacher.name);
    assert.equal(summary.testTop1, row.testTop1);
    assert.equal(summary.latencyMs, row.latencyMs);
    assert.deepEqual((await readdir(dir)).sort(), [
      'genome.json',
      'metadata.json',
      'model.json',
      'weights.bin',
    ]);
    const metadata = JSON.parse(await readFile(join(dir, 'metadata.json'), 'utf8'));
    assert.deepEqual(metadata.input.shape, [...setup.dataset.shape]);
    assert.equal(metadata.input.layout, 'NHWC');
    assert.equal(metadata.input.dtype, 'float32');
    assert.equal(metadata.input.scaling, 'byte / 255');
    assert.equal(metadata.output.kind, 'logits');
    assert.deepEqual(metadata.output.classNames, setup.datasetRow.classNames);

    const exported = await loadModel(dir);
    const stored = await loadModel(row.artifactDir as string);
    const images = gatherImages(setup.dataset.test, fullSplitIndices(setup.dataset.test.count));
    const fromExport = predictLogits(exported, images, setup.dataset.shape);
    const fromArtifact = predictLogits(stored, images, setup.dataset.shape);
    exported.dispose();
    stored.dispose();
    assert.deepEqual(fromExport, fromArtifact);
  });

  it("exports an experiment's best model", async () => {
    const dir = join(out, 'best');
    const result = await akd('export', '--experiment', setup.experiment.id, '--best', '--out', dir, '--json');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(lastJsonLine(result.stdout).trainedModelId, modelId);
  });

  it('prints a text summary', async () => {
    const result = await akd('export', modelId, '--out', join(out, 'text'));
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      new RegExp(`exported trained model ${modelId} \\(hinton, from teacher small-resnet\\)`),
    );
    assert.match(result.stdout, /latency \d+\.\d{3} ms on \w+/);
  });

  it('trains nothing without --train', async () => {
    const result = await akd('export', '--experiment', untrained.id, '--best', '--out', join(out, 'none'));
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /has no completed trained model\. Add --train to train its best candidate now/,
    );
    assert.equal(await setup.db.prisma.trainedModel.count({ where: { experimentId: untrained.id } }), 0);
  });

  it('trains the best candidate with --train', async () => {
    const dir = join(out, 'trained');
    const result = await akd(
      'export',
      '--experiment',
      untrained.id,
      '--best',
      '--train',
      '--epochs',
      '1',
      '--out',
      dir,
      '--json',
    );
    assert.equal(result.code, 0, result.stderr);
    const summary = lastJsonLine(result.stdout);
    const row = await setup.db.prisma.trainedModel.findUniqueOrThrow({
      where: { id: summary.trainedModelId as string },
    });
    assert.equal(row.experimentId, untrained.id);
    assert.equal(row.status, 'completed');
    assert.equal(row.method, 'hard_label');
    assert.equal(row.epochs, 1);
    assert.equal(summary.method, 'hard-label');
    assert.equal(summary.teacher, null);
  });

  const badArgs: { name: string; args: string[]; message: RegExp }[] = [
    {
      name: 'no model',
      args: ['--out', 'x'],
      message: /Missing model: give MODEL_ID, or --experiment ID --best/,
    },
    {
      name: 'an id with --best',
      args: ['0193a0c4-0000-7000-8000-000000000001', '--best', '--out', 'x'],
      message: /use them with --experiment ID instead of MODEL_ID/,
    },
    {
      name: 'an unknown method',
      args: [
        '--experiment',
        '0193a0c4-0000-7000-8000-000000000001',
        '--best',
        '--method',
        'magic',
        '--out',
        'x',
      ],
      message: /Invalid --method magic: use one of hard-label, hinton, cc, ta, rco/,
    },
    {
      name: 'an unknown experiment',
      args: ['--experiment', '0193a0c4-0000-7000-8000-00000000beef', '--best', '--out', 'x'],
      message:
        /Experiment 0193a0c4-0000-7000-8000-00000000beef does not exist\. `akd demo --json` prints the ids/,
    },
    {
      name: 'an unknown model',
      args: ['0193a0c4-0000-7000-8000-00000000dead', '--out', 'x'],
      message: /Trained model 0193a0c4-0000-7000-8000-00000000dead does not exist/,
    },
  ];
  for (const { name, args, message } of badArgs) {
    it(`rejects ${name}`, async () => {
      const result = await akd('export', ...args.map((arg) => (arg === 'x' ? join(out, 'rejected') : arg)));
      assert.equal(result.code, 2, result.stdout);
      assert.match(result.stderr, message);
    });
  }
});
