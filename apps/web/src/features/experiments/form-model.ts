// Values, presets and client-side validation of the new-experiment form. The rules repeat the
// API's (CreateExperimentInput and createExperiment of @akd/runner), so that a form with an
// invalid value is never sent. test/web/experiment-form.test.ts compares the presets and limits
// with the libraries.

/** Proxy-task fields of the form, as typed. */
export interface ProxyFormValues {
  trainSize: string;
  valSize: string;
  epochs: string;
  batchSize: string;
  learningRate: string;
  seed: string;
}

/** Every field of the form as the user typed it; numbers stay strings until validation. */
export interface ExperimentFormValues {
  name: string;
  datasetId: string;
  /** Empty for no teacher, which makes the search a conventional NAS on hard labels. */
  teacherId: string;
  searchBy: 'DISTILLATION' | 'HARD_LABEL';
  strategy: 'POLICY_GRADIENT' | 'EVOLUTION' | 'RANDOM';
  controller: 'factorized' | 'lstm';
  estimator: 'reinforce' | 'ppo';
  /** Empty for the strategy's default, which depends on the controller. */
  policyLearningRate: string;
  entropyCoefficient: string;
  baselineDecay: string;
  populationSize: string;
  tournamentSize: string;
  latencyModel: 'MEASURED' | 'TABLE' | 'FLOPS';
  /** Profile that TABLE and FLOPS predict from; empty for MEASURED. */
  latencyProfileId: string;
  latencyTargetMs: string;
  rewardPreset: 'soft' | 'hard' | 'custom';
  alpha: string;
  beta: string;
  budget: string;
  generationSize: string;
  seed: string;
  proxy: ProxyFormValues;
  kdLambda: string;
  kdTemperature: string;
  /** JSON of a custom search space; empty for the dataset's standard space. */
  space: string;
}

/** Name of a form field, as used for error messages and element ids. */
export type ExperimentField =
  Exclude<keyof ExperimentFormValues, 'proxy'> | `proxy.${keyof ProxyFormValues}` | 'form';

/** The variables of `createExperiment`, in the shape of CreateExperimentInput. */
export interface CreateExperimentVariables {
  name: string;
  datasetId: string;
  teacherId: string | null;
  searchBy: 'DISTILLATION' | 'HARD_LABEL';
  strategy: 'POLICY_GRADIENT' | 'EVOLUTION' | 'RANDOM';
  strategyOptions: Record<string, unknown> | null;
  latencyModel: 'MEASURED' | 'TABLE' | 'FLOPS';
  latencyProfileId: string | null;
  latencyTargetMs: number;
  reward: { alpha: number; beta: number };
  budget: number;
  generationSize: number;
  seed: number;
  proxy: {
    trainSize: number;
    valSize: number;
    epochs: number;
    batchSize: number;
    learningRate: number;
    seed: number;
  };
  kd: { lambda: number; temperature: number };
  space: Record<string, unknown> | null;
}

/** What validation needs to know about the chosen dataset. */
export interface DatasetFacts {
  id: string;
  name: string;
  trainCount: number;
  numClasses: number;
}

/** Result of {@link validateExperimentForm}: field errors, or the variables to send. */
export type ValidationResult =
  | { ok: true; input: CreateExperimentVariables }
  | { ok: false; errors: Partial<Record<ExperimentField, string>> };

/** Largest budget the API accepts (MAX_BUDGET of @akd/runner). */
export const MAX_BUDGET = 5000;

/** Reward exponents of the presets (rewardPresets of @akd/search). */
export const REWARD_PRESETS = {
  soft: { alpha: -0.07, beta: -0.07 },
  hard: { alpha: 0, beta: -1 },
} as const;

/** Proxy-task presets (PROXY_PRESETS of @akd/proxy-task). */
export const PROXY_PRESETS = {
  quick: { trainSize: 2000, valSize: 1000, epochs: 2, batchSize: 32, learningRate: 0.005, seed: 1 },
  paper: { trainSize: 10000, valSize: 5000, epochs: 5, batchSize: 64, learningRate: 0.004, seed: 1 },
} as const;

/** Name of a whole-form preset. */
export type FormPreset = 'quick' | 'paper';

/** Labels of the presets in the form. */
export const FORM_PRESET_LABELS: Record<FormPreset, string> = {
  quick: 'Quick (CPU): 2,000 / 1,000 images, 2 epochs, budget 20',
  paper: 'Paper-like: 10,000 / 5,000 images, 5 epochs, budget 200',
};

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function proxyValues(preset: FormPreset): ProxyFormValues {
  const values = PROXY_PRESETS[preset];
  return {
    trainSize: String(values.trainSize),
    valSize: String(values.valSize),
    epochs: String(values.epochs),
    batchSize: String(values.batchSize),
    learningRate: String(values.learningRate),
    seed: String(values.seed),
  };
}

/** Returns the form values of a new experiment with the `quick` preset. */
export function initialFormValues(datasetId: string, teacherId: string): ExperimentFormValues {
  return {
    name: '',
    datasetId,
    teacherId,
    searchBy: teacherId ? 'DISTILLATION' : 'HARD_LABEL',
    strategy: 'POLICY_GRADIENT',
    controller: 'factorized',
    estimator: 'reinforce',
    policyLearningRate: '',
    entropyCoefficient: '0.001',
    baselineDecay: '0.95',
    populationSize: '20',
    tournamentSize: '5',
    latencyModel: 'MEASURED',
    latencyProfileId: '',
    latencyTargetMs: '5',
    rewardPreset: 'soft',
    alpha: String(REWARD_PRESETS.soft.alpha),
    beta: String(REWARD_PRESETS.soft.beta),
    budget: '20',
    generationSize: '5',
    seed: '1',
    proxy: proxyValues('quick'),
    kdLambda: '0.5',
    kdTemperature: '2',
    space: '',
  };
}

/**
 * Returns `values` with the settings of `preset`: proxy size and epochs, budget and generation
 * size, and the proxy-task distillation settings (λ = 0.5, τ = 2, gentle enough for short proxies).
 * The name, dataset, teacher and latency target stay as they are.
 */
export function applyPreset(values: ExperimentFormValues, preset: FormPreset): ExperimentFormValues {
  return {
    ...values,
    proxy: proxyValues(preset),
    budget: preset === 'quick' ? '20' : '200',
    generationSize: preset === 'quick' ? '5' : '10',
    kdLambda: '0.5',
    kdTemperature: '2',
  };
}

type Errors = Partial<Record<ExperimentField, string>>;

/** Parses a decimal number; returns null for empty or malformed text. */
function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/** Checks a whole number in [min, max]; records the error under `field` and returns null when invalid. */
function wholeNumber(
  errors: Errors,
  field: ExperimentField,
  text: string,
  label: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | null {
  const value = parseNumber(text);
  if (value === null || !Number.isInteger(value)) {
    errors[field] = `${label} must be a whole number.`;
    return null;
  }
  if (value < min || value > max) {
    errors[field] =
      max === Number.MAX_SAFE_INTEGER
        ? `${label} must be at least ${min}.`
        : `${label} must be from ${min} to ${max}.`;
    return null;
  }
  return value;
}

/** Checks a finite number; `check` returns a message for an out-of-range value. */
function decimal(
  errors: Errors,
  field: ExperimentField,
  text: string,
  label: string,
  check: (value: number) => string | null = () => null,
): number | null {
  const value = parseNumber(text);
  if (value === null) {
    errors[field] = `${label} must be a number.`;
    return null;
  }
  const problem = check(value);
  if (problem) {
    errors[field] = `${label} ${problem}.`;
    return null;
  }
  return value;
}

function parseSpace(
  errors: Errors,
  text: string,
  dataset: DatasetFacts | undefined,
): Record<string, unknown> | null {
  if (text.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    errors.space = `The search space is not valid JSON: ${(error as Error).message}`;
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    errors.space =
      'The search space must be a JSON object with inputShape, numClasses, blocks and the other fields.';
    return null;
  }
  const space = value as Record<string, unknown>;
  if (dataset && typeof space.numClasses === 'number' && space.numClasses !== dataset.numClasses) {
    errors.space = `The search space has ${space.numClasses} classes but dataset ${dataset.name} has ${dataset.numClasses}.`;
    return null;
  }
  return space;
}

function strategyOptions(errors: Errors, values: ExperimentFormValues): Record<string, unknown> | null {
  switch (values.strategy) {
    case 'RANDOM':
      return null;
    case 'EVOLUTION': {
      const populationSize = wholeNumber(
        errors,
        'populationSize',
        values.populationSize,
        'Population size',
        1,
      );
      const tournamentSize = wholeNumber(
        errors,
        'tournamentSize',
        values.tournamentSize,
        'Tournament size',
        1,
      );
      if (populationSize !== null && tournamentSize !== null && tournamentSize > populationSize) {
        errors.tournamentSize = `Tournament size must be at most the population size (${populationSize}).`;
      }
      return { populationSize, tournamentSize };
    }
    case 'POLICY_GRADIENT': {
      const options: Record<string, unknown> = { controller: values.controller, estimator: values.estimator };
      if (values.policyLearningRate.trim() !== '') {
        options.learningRate = decimal(
          errors,
          'policyLearningRate',
          values.policyLearningRate,
          'Controller learning rate',
          (v) => (v > 0 ? null : 'must be greater than 0'),
        );
      }
      options.entropyCoefficient = decimal(
        errors,
        'entropyCoefficient',
        values.entropyCoefficient,
        'Entropy coefficient',
        (v) => (v >= 0 ? null : 'must be at least 0'),
      );
      options.baselineDecay = decimal(errors, 'baselineDecay', values.baselineDecay, 'Baseline decay', (v) =>
        v >= 0 && v < 1 ? null : 'must be at least 0 and below 1',
      );
      return options;
    }
  }
}

/**
 * Validates the form against the API's rules and returns the createExperiment input, or an error
 * message for each invalid field. `dataset` is the selected dataset, used to check that the proxy
 * task fits its training split and that a custom space has its number of classes.
 */
export function validateExperimentForm(
  values: ExperimentFormValues,
  dataset: DatasetFacts | undefined,
): ValidationResult {
  const errors: Errors = {};

  const name = values.name.trim();
  if (name.length < 1 || name.length > 200) errors.name = 'Name must be 1 to 200 characters.';
  if (!dataset) errors.datasetId = 'Choose a dataset.';
  if (values.searchBy === 'DISTILLATION' && values.teacherId === '') {
    errors.teacherId = 'Searching by distillation needs a teacher: choose one, or search by hard label.';
  }

  if (values.latencyModel !== 'MEASURED' && values.latencyProfileId === '') {
    errors.latencyProfileId = `The ${values.latencyModel === 'TABLE' ? 'table' : 'FLOPs'} latency model needs a latency profile: choose one, or measure latency on the workers.`;
  }
  const latencyTargetMs = decimal(errors, 'latencyTargetMs', values.latencyTargetMs, 'Latency target', (v) =>
    v > 0 ? null : 'must be greater than 0 milliseconds',
  );
  const alpha = decimal(errors, 'alpha', values.alpha, 'Alpha');
  const beta = decimal(errors, 'beta', values.beta, 'Beta');
  const budget = wholeNumber(errors, 'budget', values.budget, 'Budget', 1, MAX_BUDGET);
  const generationSize = wholeNumber(errors, 'generationSize', values.generationSize, 'Generation size', 1);
  const seed = wholeNumber(errors, 'seed', values.seed, 'Seed', INT32_MIN, INT32_MAX);

  const proxy = {
    trainSize: wholeNumber(errors, 'proxy.trainSize', values.proxy.trainSize, 'Mini-train size', 1),
    valSize: wholeNumber(errors, 'proxy.valSize', values.proxy.valSize, 'Mini-val size', 1),
    epochs: wholeNumber(errors, 'proxy.epochs', values.proxy.epochs, 'Epochs', 1),
    batchSize: wholeNumber(errors, 'proxy.batchSize', values.proxy.batchSize, 'Batch size', 1),
    learningRate: decimal(errors, 'proxy.learningRate', values.proxy.learningRate, 'Learning rate', (v) =>
      v > 0 && v < 1 ? null : 'must be between 0 and 1, such as 0.005',
    ),
    seed: wholeNumber(errors, 'proxy.seed', values.proxy.seed, 'Proxy seed', INT32_MIN, INT32_MAX),
  };
  if (dataset && proxy.trainSize !== null && proxy.valSize !== null) {
    if (proxy.trainSize + proxy.valSize > dataset.trainCount) {
      errors['proxy.trainSize'] =
        `Mini-train ${proxy.trainSize} + mini-val ${proxy.valSize} images exceed the ` +
        `${dataset.trainCount} training images of ${dataset.name}; lower them.`;
    }
  }

  const lambda = decimal(errors, 'kdLambda', values.kdLambda, 'Lambda', (v) =>
    v >= 0 && v <= 1 ? null : 'must be between 0 and 1',
  );
  const temperature = decimal(errors, 'kdTemperature', values.kdTemperature, 'Temperature', (v) =>
    v > 0 ? null : 'must be greater than 0',
  );
  const options = strategyOptions(errors, values);
  const space = parseSpace(errors, values.space, dataset);

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    input: {
      name,
      datasetId: values.datasetId,
      teacherId: values.searchBy === 'DISTILLATION' ? values.teacherId : null,
      searchBy: values.searchBy,
      strategy: values.strategy,
      strategyOptions: options,
      latencyModel: values.latencyModel,
      latencyProfileId: values.latencyModel === 'MEASURED' ? null : values.latencyProfileId,
      latencyTargetMs: latencyTargetMs!,
      reward: { alpha: alpha!, beta: beta! },
      budget: budget!,
      generationSize: generationSize!,
      seed: seed!,
      proxy: {
        trainSize: proxy.trainSize!,
        valSize: proxy.valSize!,
        epochs: proxy.epochs!,
        batchSize: proxy.batchSize!,
        learningRate: proxy.learningRate!,
        seed: proxy.seed!,
      },
      kd: { lambda: lambda!, temperature: temperature! },
      space,
    },
  };
}

/** Keywords of API messages, checked in order, and the field each one belongs to. */
const MESSAGE_FIELDS: [RegExp, ExperimentField][] = [
  [/^name\b/i, 'name'],
  [/\bproxy\.?\s*trainSize\b|mini-train/i, 'proxy.trainSize'],
  [/\bproxy\.?\s*valSize\b|mini-val/i, 'proxy.valSize'],
  [/\bproxy\.?\s*epochs\b/i, 'proxy.epochs'],
  [/\bproxy\.?\s*batchSize\b/i, 'proxy.batchSize'],
  [/\bproxy\.?\s*(learningRate|learning rate)\b/i, 'proxy.learningRate'],
  [/\bproxy\.?\s*seed\b/i, 'proxy.seed'],
  [/\bbudget\b/i, 'budget'],
  [/\bgeneration ?size\b|generationSize/i, 'generationSize'],
  [/\blatency ?target|latencyTargetMs/i, 'latencyTargetMs'],
  [/\blatency ?profile|latencyProfileId/i, 'latencyProfileId'],
  [/\blatency ?model|latencyModel|latencyBackend/i, 'latencyModel'],
  [/\breward\.alpha\b|\balpha\b/i, 'alpha'],
  [/\breward\.beta\b|\bbeta=/i, 'beta'],
  [/\bkd\.lambda\b|\blambda\b/i, 'kdLambda'],
  [/\bkd\.temperature\b|distillation temperature/i, 'kdTemperature'],
  [/\bpopulationSize\b/i, 'populationSize'],
  [/\btournamentSize\b/i, 'tournamentSize'],
  [/\bentropyCoefficient\b/i, 'entropyCoefficient'],
  [/\bbaselineDecay\b/i, 'baselineDecay'],
  [/\bstrategy\b/i, 'strategy'],
  [/\bsearch space\b|\bspace\b/i, 'space'],
  [/\bteacher/i, 'teacherId'],
  [/\bdataset\b/i, 'datasetId'],
  [/\bseed\b/i, 'seed'],
];

/**
 * Splits an API validation message into the fields it is about. The API joins the failures of
 * class-validator with "; " after "Invalid input: "; each part, or a single message of the
 * library checks, is matched to a field by the words it names. Parts that name no field go to
 * `form`.
 */
export function fieldErrorsFromApiMessage(message: string): Partial<Record<ExperimentField, string>> {
  const body = message.replace(/^Invalid input:\s*/, '').replace(/\.$/, '');
  const parts = message.startsWith('Invalid input:') ? body.split('; ') : [message];
  const errors: Partial<Record<ExperimentField, string>> = {};
  for (const part of parts) {
    const text = message.startsWith('Invalid input:') ? `${part}.` : part;
    const field = MESSAGE_FIELDS.find(([pattern]) => pattern.test(part))?.[1] ?? 'form';
    errors[field] = errors[field] ? `${errors[field]} ${text}` : text;
  }
  return errors;
}
