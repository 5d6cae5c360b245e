// Client-side validation of the new-experiment form, its presets against the libraries' values,
// and the mapping of the API's validation messages to form fields.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PROXY_PRESETS } from '@akd/proxy-task';
import { MAX_BUDGET } from '@akd/runner';
import { rewardPresets } from '@akd/search';
import {
  applyPreset,
  fieldErrorsFromApiMessage,
  initialFormValues,
  MAX_BUDGET as FORM_MAX_BUDGET,
  PROXY_PRESETS as FORM_PROXY_PRESETS,
  REWARD_PRESETS,
  validateExperimentForm,
  type ExperimentFormValues,
} from '../../apps/web/src/features/experiments/form-model.js';

const DATASET = { id: 'd1', name: 'fashion-mnist-subset', trainCount: 6000, numClasses: 10 };

function valid(): ExperimentFormValues {
  return { ...initialFormValues('d1', 't1'), name: 'search' };
}

describe('experiment form', () => {
  it('uses the presets and limits of the libraries', () => {
    assert.deepEqual(FORM_PROXY_PRESETS, PROXY_PRESETS);
    assert.deepEqual(REWARD_PRESETS, rewardPresets);
    assert.equal(FORM_MAX_BUDGET, MAX_BUDGET);
  });

  it('turns valid values into the mutation input', () => {
    const result = validateExperimentForm(valid(), DATASET);
    assert.equal(result.ok, true);
    if (!result.ok) return;
    assert.equal(result.input.teacherId, 't1');
    assert.equal(result.input.searchBy, 'DISTILLATION');
    assert.equal(result.input.budget, 20);
    assert.deepEqual(result.input.proxy, PROXY_PRESETS.quick);
    assert.deepEqual(result.input.strategyOptions, {
      controller: 'factorized',
      estimator: 'reinforce',
      entropyCoefficient: 0.001,
      baselineDecay: 0.95,
    });
    assert.equal(result.input.space, null);
    assert.equal(result.input.latencyProfileId, null);
  });

  it('drops the teacher of a hard-label search', () => {
    const result = validateExperimentForm({ ...valid(), searchBy: 'HARD_LABEL' }, DATASET);
    assert.equal(result.ok && result.input.teacherId, null);
  });

  const cases: [string, Partial<ExperimentFormValues>, string, RegExp][] = [
    ['empty name', { name: ' ' }, 'name', /1 to 200 characters/],
    ['no teacher for distillation', { teacherId: '' }, 'teacherId', /needs a teacher/],
    ['zero latency target', { latencyTargetMs: '0' }, 'latencyTargetMs', /greater than 0/],
    ['text latency target', { latencyTargetMs: 'fast' }, 'latencyTargetMs', /must be a number/],
    ['budget 0', { budget: '0' }, 'budget', /from 1 to 5000/],
    ['budget above the maximum', { budget: '5001' }, 'budget', /from 1 to 5000/],
    ['fractional generation size', { generationSize: '2.5' }, 'generationSize', /whole number/],
    ['seed beyond 32 bits', { seed: String(2 ** 31) }, 'seed', /from -2147483648 to 2147483647/],
    ['lambda above 1', { kdLambda: '1.5' }, 'kdLambda', /between 0 and 1/],
    ['temperature 0', { kdTemperature: '0' }, 'kdTemperature', /greater than 0/],
    [
      'learning rate 1',
      { proxy: { ...valid().proxy, learningRate: '1' } },
      'proxy.learningRate',
      /between 0 and 1/,
    ],
    [
      'proxy larger than the split',
      { proxy: { ...valid().proxy, trainSize: '5500' } },
      'proxy.trainSize',
      /exceed the 6000/,
    ],
    ['baseline decay 1', { baselineDecay: '1' }, 'baselineDecay', /below 1/],
    [
      'tournament larger than population',
      { strategy: 'EVOLUTION', populationSize: '4', tournamentSize: '5' },
      'tournamentSize',
      /at most the population/,
    ],
    ['space that is not JSON', { space: '{ blocks: ' }, 'space', /not valid JSON/],
    [
      'space with other classes',
      { space: '{"numClasses": 5}' },
      'space',
      /5 classes but dataset fashion-mnist-subset has 10/,
    ],
    ['table model without profile', { latencyModel: 'TABLE' }, 'latencyProfileId', /needs a latency profile/],
  ];
  for (const [name, change, field, message] of cases) {
    it(`rejects ${name}`, () => {
      const result = validateExperimentForm({ ...valid(), ...change }, DATASET);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.match(
        result.errors[field as keyof typeof result.errors] ?? '',
        message,
        JSON.stringify(result.errors),
      );
    });
  }

  it('applies the paper-like preset', () => {
    const values = applyPreset(valid(), 'paper');
    assert.equal(values.proxy.trainSize, '10000');
    assert.equal(values.proxy.epochs, '5');
    assert.equal(values.budget, '200');
    assert.equal(values.name, 'search', 'a preset keeps the name');
  });

  it('places the API messages next to their fields', () => {
    assert.deepEqual(
      fieldErrorsFromApiMessage(
        'Invalid input: budget must not be greater than 5000; proxy.epochs must not be less than 1.',
      ),
      {
        budget: 'budget must not be greater than 5000.',
        'proxy.epochs': 'proxy.epochs must not be less than 1.',
      },
    );
    assert.deepEqual(
      Object.keys(
        fieldErrorsFromApiMessage('Invalid search space: stemStride is 3, but the allowed values are 1, 2.'),
      ),
      ['space'],
    );
    assert.deepEqual(Object.keys(fieldErrorsFromApiMessage('Teacher vgg is not ready (status training).')), [
      'teacherId',
    ]);
    assert.deepEqual(Object.keys(fieldErrorsFromApiMessage('Something unexpected happened.')), ['form']);
  });
});
