import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AkdError } from '@akd/core';
import type { Teacher } from '@akd/db';
import { countParams, defaultSearchSpace, type BlockGene, type Genome } from '@akd/search-space';
import { teacherCheckpointDir } from '@akd/teachers';
import {
  chooseAssistantGenome,
  finalTrainingInputFromRecord,
  resolveFinalTrainingSettings,
  type FinalTrainingInput,
  type FinalTrainingMethod,
  type FinalTrainingRequest,
} from './final-settings.js';

const space = defaultSearchSpace([28, 28, 1], 10);
const gene: BlockGene = {
  op: 'mbconv3',
  kernelSize: 3,
  seRatio: 0,
  skip: 'none',
  filterMultiplier: 1,
  layerDelta: 0,
};
const student: Genome = { blocks: space.blocks.map(() => ({ ...gene })) };
const studentParams = countParams(space, student);
const experimentKd = { lambda: 0.5, temperature: 2 };

let root: string;
/** Zoo teacher with checkpoints after epochs 1, 2 and 3. */
let trained: Teacher;
/** Zoo teacher whose folder has a model but no checkpoints, like one imported from shipped weights. */
let shipped: Teacher;

function teacherRow(overrides: Partial<Teacher>): Teacher {
  return {
    id: '0193a0c4-0000-7000-8000-000000000001',
    datasetId: '0193a0c4-0000-7000-8000-000000000002',
    name: 'resnet',
    source: 'zoo',
    family: 'resnet',
    config: {},
    trainingSettings: {},
    status: 'ready',
    testAccuracy: 0.9,
    testTop5: 0.99,
    params: 2_000_000n,
    flops: null,
    artifactDir: null,
    checksums: null,
    members: null,
    error: null,
    createdAt: new Date(),
    updatedAt: new Date(),
    ...overrides,
  };
}

function request(
  method: FinalTrainingMethod,
  input: FinalTrainingInput = {},
  overrides: Partial<FinalTrainingRequest> = {},
): FinalTrainingRequest {
  return {
    method,
    epochs: 2,
    input,
    space,
    experimentKd,
    experimentSeed: 7,
    studentGenome: student,
    teacher: trained,
    ...overrides,
  };
}

/** Returns an `assert.rejects` validator for an INVALID_INPUT AkdError whose message matches `message`. */
function invalidInput(message: RegExp): (error: unknown) => true {
  return (error) => {
    assert.ok(error instanceof AkdError, `expected an AkdError, got ${String(error)}`);
    assert.equal(error.code, 'INVALID_INPUT');
    assert.match(error.message, message);
    return true;
  };
}

function withMultiplier(
  multiplier: BlockGene['filterMultiplier'],
  layerDelta: BlockGene['layerDelta'],
): Genome {
  return { blocks: space.blocks.map(() => ({ ...gene, filterMultiplier: multiplier, layerDelta })) };
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'akd-final-settings-'));
  const trainedDir = join(root, 'trained');
  for (const epoch of [1, 2, 3]) {
    await mkdir(teacherCheckpointDir(trainedDir, epoch), { recursive: true });
    await writeFile(join(teacherCheckpointDir(trainedDir, epoch), 'model.json'), '{}');
  }
  trained = teacherRow({ artifactDir: trainedDir });
  const shippedDir = join(root, 'shipped');
  await mkdir(shippedDir, { recursive: true });
  await writeFile(join(shippedDir, 'model.json'), '{}');
  shipped = teacherRow({ artifactDir: shippedDir });
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('resolveFinalTrainingSettings defaults', () => {
  it('hard-label needs no teacher and no KD', async () => {
    const settings = await resolveFinalTrainingSettings(request('hard-label', {}, { teacher: null }));
    assert.deepEqual(settings, {
      method: 'hard-label',
      epochs: 2,
      batchSize: 64,
      learningRate: 0.004,
      seed: 7,
      kd: null,
      cc: null,
      assistant: null,
      route: null,
    });
  });

  it("hinton takes the experiment's KD settings", async () => {
    const settings = await resolveFinalTrainingSettings(request('hinton'));
    assert.deepEqual(settings.kd, experimentKd);
    assert.equal(settings.cc, null);
  });

  it('hinton applies overrides', async () => {
    const settings = await resolveFinalTrainingSettings(
      request('hinton', { lambda: 0.9, temperature: 4, batchSize: 32, learningRate: 0.01, seed: 3 }),
    );
    assert.deepEqual(settings.kd, { lambda: 0.9, temperature: 4 });
    assert.equal(settings.batchSize, 32);
    assert.equal(settings.learningRate, 0.01);
    assert.equal(settings.seed, 3);
  });

  it('cc takes the published CC-KD settings', async () => {
    const settings = await resolveFinalTrainingSettings(request('cc'));
    assert.deepEqual(settings.kd, { lambda: 1, temperature: 1 });
    assert.deepEqual(settings.cc, { beta: 0.003, gamma: 0.4 });
  });

  it('cc applies overrides', async () => {
    const settings = await resolveFinalTrainingSettings(request('cc', { lambda: 0.5, beta: 0.5, gamma: 1 }));
    assert.deepEqual(settings.kd, { lambda: 0.5, temperature: 1 });
    assert.deepEqual(settings.cc, { beta: 0.5, gamma: 1 });
  });

  it('ta chooses an assistant between student and teacher', async () => {
    const settings = await resolveFinalTrainingSettings(request('ta'));
    const assistant = settings.assistant;
    assert.ok(assistant);
    assert.equal(assistant.choice, 'automatic');
    assert.equal(assistant.epochs, 2);
    assert.equal(assistant.params, countParams(space, assistant.genome));
    assert.ok(assistant.params > studentParams, `assistant ${assistant.params}, student ${studentParams}`);
    assert.ok(assistant.params <= 2_000_000, `assistant ${assistant.params}`);
    assert.deepEqual(settings.kd, experimentKd);
  });

  it('ta keeps a given assistant', async () => {
    const genome = withMultiplier(1.25, 0);
    const settings = await resolveFinalTrainingSettings(
      request('ta', { assistantGenome: genome, assistantEpochs: 5 }),
    );
    assert.deepEqual(settings.assistant?.genome, genome);
    assert.equal(settings.assistant?.choice, 'given');
    assert.equal(settings.assistant?.epochs, 5);
  });

  it('rco routes through every checkpoint the epochs allow', async () => {
    const settings = await resolveFinalTrainingSettings(request('rco', {}, { epochs: 7 }));
    assert.deepEqual(settings.route, { anchors: 3, epochsPerAnchor: 2, teacherEpochs: [1, 2, 3] });
  });

  it('rco picks anchors at equal epoch intervals', async () => {
    const settings = await resolveFinalTrainingSettings(request('rco', { routeAnchors: 2 }, { epochs: 4 }));
    assert.deepEqual(settings.route, { anchors: 2, epochsPerAnchor: 2, teacherEpochs: [1, 3] });
  });

  it('rco uses one anchor per epoch at most', async () => {
    const settings = await resolveFinalTrainingSettings(request('rco', {}, { epochs: 2 }));
    assert.equal(settings.route?.anchors, 2);
    assert.equal(settings.route?.teacherEpochs.at(-1), 3);
  });
});

describe('finalTrainingInputFromRecord', () => {
  for (const method of ['hard-label', 'hinton', 'cc', 'ta', 'rco'] as const) {
    it(`reads a recorded ${method} recipe back unchanged`, async () => {
      const teacher = method === 'hard-label' ? null : trained;
      const first = await resolveFinalTrainingSettings(
        request(method, { lambda: method === 'hard-label' ? undefined : 0.7, seed: 11 }, { teacher }),
      );
      const recorded = JSON.parse(JSON.stringify(first)) as unknown;
      const again = await resolveFinalTrainingSettings(
        request(method, finalTrainingInputFromRecord(recorded), { teacher }),
      );
      assert.deepEqual(again, first);
    });
  }

  it('reads the old { epochs, kd } record', async () => {
    const input = finalTrainingInputFromRecord({ epochs: 2, kd: { lambda: 0.8, temperature: 3 } });
    assert.deepEqual(input, { lambda: 0.8, temperature: 3 });
  });
});

describe('resolveFinalTrainingSettings rejects', () => {
  for (const method of ['hinton', 'cc', 'ta', 'rco'] as const) {
    for (const temperature of [0, -1]) {
      it(`${method} with temperature ${temperature}`, async () => {
        await assert.rejects(
          resolveFinalTrainingSettings(request(method, { temperature })),
          invalidInput(new RegExp(`temperature ${temperature}: it must be greater than 0`)),
        );
      });
    }
    for (const lambda of [-0.1, 1.5]) {
      it(`${method} with lambda ${lambda}`, async () => {
        await assert.rejects(
          resolveFinalTrainingSettings(request(method, { lambda })),
          invalidInput(new RegExp(`lambda=${lambda}: it must be between 0 and 1`)),
        );
      });
    }
  }

  for (const beta of [-0.5, 2]) {
    it(`cc with beta ${beta}`, async () => {
      await assert.rejects(
        resolveFinalTrainingSettings(request('cc', { beta })),
        invalidInput(new RegExp(`beta=${beta}: it must be between 0 and 1`)),
      );
    });
  }

  it('cc with gamma 0', async () => {
    await assert.rejects(
      resolveFinalTrainingSettings(request('cc', { gamma: 0 })),
      invalidInput(/gamma=0: it must be greater than 0/),
    );
  });

  for (const batchSize of [0, 2.5]) {
    it(`batch size ${batchSize}`, async () => {
      await assert.rejects(
        resolveFinalTrainingSettings(request('hinton', { batchSize })),
        invalidInput(new RegExp(`Invalid batch size ${batchSize}: use a whole number of at least 1`)),
      );
    });
  }

  for (const learningRate of [0, -0.01, Number.NaN]) {
    it(`learning rate ${learningRate}`, async () => {
      await assert.rejects(
        resolveFinalTrainingSettings(request('hard-label', { learningRate }, { teacher: null })),
        invalidInput(new RegExp(`Invalid learning rate ${learningRate}: it must be a number greater than 0`)),
      );
    });
  }

  it('epochs 0', async () => {
    await assert.rejects(
      resolveFinalTrainingSettings(request('hinton', {}, { epochs: 0 })),
      invalidInput(/Invalid epochs 0/),
    );
  });

  it('a teacher method without a teacher', async () => {
    await assert.rejects(
      resolveFinalTrainingSettings(request('hinton', {}, { teacher: null })),
      invalidInput(/hinton distills from a teacher, but none is set/),
    );
  });

  it('an unknown method', async () => {
    await assert.rejects(
      resolveFinalTrainingSettings(request('magic' as FinalTrainingMethod)),
      invalidInput(/Unknown final-training method magic: use one of hard-label, hinton, cc, ta, rco/),
    );
  });

  it('an assistant larger than the teacher', async () => {
    const assistant = withMultiplier(1.25, 1);
    const small = teacherRow({ name: 'small', params: BigInt(countParams(space, assistant) - 1) });
    await assert.rejects(
      resolveFinalTrainingSettings(request('ta', { assistantGenome: assistant }, { teacher: small })),
      invalidInput(/The teacher assistant has \d+ parameters, more than teacher small's \d+/),
    );
  });

  it('a student larger than the assistant', async () => {
    await assert.rejects(
      resolveFinalTrainingSettings(request('ta', { assistantGenome: withMultiplier(0.75, 0) })),
      invalidInput(/The student has \d+ parameters, more than the teacher assistant's \d+/),
    );
  });

  it('an assistant genome outside the space', async () => {
    const genome = { blocks: [{ ...gene, op: 'magic' }] };
    await assert.rejects(
      resolveFinalTrainingSettings(request('ta', { assistantGenome: genome })),
      invalidInput(/^Invalid teacher assistant: Invalid genome: expected 5 blocks/),
    );
  });

  it('a teacher too small for any assistant', async () => {
    const tiny = teacherRow({ name: 'tiny', params: BigInt(studentParams + 1) });
    await assert.rejects(
      resolveFinalTrainingSettings(request('ta', {}, { teacher: tiny })),
      invalidInput(
        /No wider or deeper variant of the student \(\d+ parameters\) lies between it and teacher tiny/,
      ),
    );
  });

  it('ta with a teacher of unknown size', async () => {
    const logits = teacherRow({ name: 'logits', source: 'imported_logits', params: null });
    await assert.rejects(
      resolveFinalTrainingSettings(request('ta', {}, { teacher: logits })),
      invalidInput(/Teacher logits \(imported logits\) records no parameter count/),
    );
  });

  for (const source of ['ensemble', 'imported_logits'] as const) {
    it(`cc with a teacher of source ${source}`, async () => {
      const teacher = teacherRow({ name: 'pair', source, artifactDir: null });
      await assert.rejects(
        resolveFinalTrainingSettings(request('cc', {}, { teacher })),
        invalidInput(/CC-KD matches the teacher's penultimate features, so it needs a teacher model/),
      );
    });
  }

  it('rco with a teacher imported from shipped weights', async () => {
    await assert.rejects(
      resolveFinalTrainingSettings(request('rco', {}, { teacher: shipped })),
      invalidInput(
        /teacher resnet has none \(teachers imported from shipped weights keep none\): train it with `akd teachers train --names resnet` or the trainTeacher mutation/,
      ),
    );
  });

  for (const source of ['imported_model', 'ensemble'] as const) {
    it(`rco with a teacher of source ${source}`, async () => {
      const teacher = teacherRow({ name: 'other', source, artifactDir: trained.artifactDir });
      await assert.rejects(
        resolveFinalTrainingSettings(request('rco', {}, { teacher })),
        invalidInput(
          /but teacher other is .*which has none\. Use a zoo teacher trained with `akd teachers train` or the trainTeacher mutation/,
        ),
      );
    });
  }

  it('rco with more anchors than epochs', async () => {
    await assert.rejects(
      resolveFinalTrainingSettings(request('rco', { routeAnchors: 3 }, { epochs: 2 })),
      invalidInput(/Invalid route anchors 3: .*use at most the 2 epochs/),
    );
  });

  it('rco with more anchors than checkpoints', async () => {
    await assert.rejects(
      resolveFinalTrainingSettings(request('rco', { routeAnchors: 4 }, { epochs: 8 })),
      invalidInput(/Invalid route anchors 4: teacher resnet has 3 checkpoints/),
    );
  });
});

describe('chooseAssistantGenome', () => {
  it('stays between student and teacher', () => {
    for (const teacherParams of [studentParams * 2, studentParams * 10, studentParams * 1000]) {
      const genome = chooseAssistantGenome(space, student, teacherParams);
      assert.ok(genome, `an assistant for a teacher of ${teacherParams}`);
      const params = countParams(space, genome);
      assert.ok(params > studentParams, `assistant ${params}, student ${studentParams}`);
      assert.ok(params <= teacherParams, `assistant ${params}, teacher ${teacherParams}`);
    }
  });

  it('grows with the teacher', () => {
    const small = chooseAssistantGenome(space, student, studentParams * 1.6) as Genome;
    const large = chooseAssistantGenome(space, student, studentParams * 1000) as Genome;
    assert.ok(countParams(space, large) > countParams(space, small));
  });

  it('returns null when nothing fits', () => {
    assert.equal(chooseAssistantGenome(space, student, studentParams), null);
    assert.equal(chooseAssistantGenome(space, withMultiplier(1.25, 1), Number.MAX_SAFE_INTEGER), null);
  });
});
