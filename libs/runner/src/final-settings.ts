/**
 * Recipes of final training: the defaults of each distillation method, their validation, and the
 * checks that need the teacher and the student (the assistant's size for TA-KD, the teacher's
 * checkpoints for RCO, a teacher model for CC-KD). The API resolves a recipe before it records a
 * TrainedModel row, and the final-model job resolves the recorded recipe again before training.
 */
import { AkdError } from '@akd/core';
import { fromEnumKey, type Teacher } from '@akd/db';
import {
  DEFAULT_CC_KD_SETTINGS,
  selectEqualIntervalRoute,
  validateCcKdSettings,
  validateHintonSettings,
  type CheckpointLocation,
  type HintonSettings,
} from '@akd/engine';
import {
  BLOCK_CHOICES,
  countParams,
  genomeHash,
  validateGenome,
  type Genome,
  type SearchSpace,
} from '@akd/search-space';
import { listTeacherCheckpoints } from '@akd/teachers';

/** Distillation methods of final training, as the `DistillationMethod` enum spells them. */
export type FinalTrainingMethod = 'hard-label' | 'hinton' | 'cc' | 'ta' | 'rco';

/** Every {@link FinalTrainingMethod}. */
export const FINAL_TRAINING_METHODS: readonly FinalTrainingMethod[] = [
  'hard-label',
  'hinton',
  'cc',
  'ta',
  'rco',
];

/** Batch size and learning rate of a final training unless its settings give others. */
export const DEFAULT_FINAL_TRAINING = { batchSize: 64, learningRate: 0.004 } as const;

/**
 * Overrides of a final-training recipe. Omitted fields take the method's defaults: the
 * experiment's KD settings for hinton, ta and rco, `DEFAULT_CC_KD_SETTINGS` for cc.
 */
export interface FinalTrainingInput {
  batchSize?: number;
  /** Peak Adam learning rate, decayed by a cosine schedule. */
  learningRate?: number;
  /** Seed of the initial weights and the batch order; defaults to the experiment's proxy seed. */
  seed?: number;
  /** Weight λ of the distillation term, in [0, 1] (hinton, cc, ta, rco). */
  lambda?: number;
  /** Softmax temperature τ, greater than 0 (hinton, cc, ta, rco). */
  temperature?: number;
  /** Weight β of the correlation-congruence term, in [0, 1] (cc). */
  beta?: number;
  /** Width γ of the Gaussian RBF kernel, greater than 0 (cc). */
  gamma?: number;
  /** Genome of the teacher assistant in the experiment's search space (ta); chosen when omitted. */
  assistantGenome?: unknown;
  /** Origin of a recorded assistant genome, kept when a recorded recipe is read back. */
  assistantChoice?: AssistantChoice;
  /** Epochs of the teacher → assistant hop (ta); defaults to the final epochs. */
  assistantEpochs?: number;
  /** Teacher checkpoints on the route, the final one included (rco); defaults to all, at most the epochs. */
  routeAnchors?: number;
}

/** `given` when the request named the assistant's genome, `automatic` when {@link chooseAssistantGenome} picked it. */
export type AssistantChoice = 'given' | 'automatic';

/** Teacher assistant of a TA-KD recipe. */
export interface AssistantSettings {
  genome: Genome;
  genomeHash: string;
  params: number;
  /** Epochs of the teacher → assistant hop. */
  epochs: number;
  choice: AssistantChoice;
}

/** Route of an RCO recipe. */
export interface RouteSettings {
  /** Number of teacher checkpoints on the route, the last one being the final teacher. */
  anchors: number;
  /** Student epochs per anchor; epochs beyond `anchors × epochsPerAnchor` stay on the last anchor. */
  epochsPerAnchor: number;
  /** Teacher epoch of each anchor, earliest first, as the checkpoints were when the recipe was resolved. */
  teacherEpochs: number[];
}

/** Recipe of one final training, as recorded in `TrainedModel.settings` and `metadata.json`. */
export interface FinalTrainingSettings {
  method: FinalTrainingMethod;
  epochs: number;
  batchSize: number;
  /** Peak Adam learning rate, decayed by a cosine schedule. */
  learningRate: number;
  /** Seed of the initial weights and the batch order. */
  seed: number;
  /** Hinton settings of every distillation step; null for hard-label training. */
  kd: HintonSettings | null;
  /** Correlation-congruence term of CC-KD; null for other methods. */
  cc: { beta: number; gamma: number } | null;
  /** Teacher assistant of TA-KD; null for other methods. */
  assistant: AssistantSettings | null;
  /** Checkpoint route of RCO; null for other methods. */
  route: RouteSettings | null;
}

/** Request of {@link resolveFinalTrainingSettings}: the training to resolve a recipe for. */
export interface FinalTrainingRequest {
  method: FinalTrainingMethod;
  epochs: number;
  input: FinalTrainingInput;
  space: SearchSpace;
  /** KD settings and proxy seed of the experiment, the defaults of λ, τ and the seed. */
  experimentKd: HintonSettings;
  experimentSeed: number;
  /** Genome of the student to train. */
  studentGenome: Genome;
  /** Teacher the student distills from; null for hard-label training. */
  teacher: Teacher | null;
}

/**
 * Validates a final-training request and returns its complete recipe: defaults filled in, the
 * assistant of TA-KD chosen or checked, the route of RCO read from the teacher's checkpoints.
 * Nothing is written, so callers run it before they record a row.
 *
 * @throws AkdError INVALID_INPUT naming the value. The cases are a method that needs a teacher
 *   without one, λ or β outside [0, 1], τ or γ not above 0, and an unusable batch size, learning
 *   rate, seed or epoch count. For TA-KD they include an assistant genome outside the space or
 *   larger than the teacher and a student larger than the assistant. A CC-KD teacher without a
 *   model and an RCO teacher without checkpoints are rejected too.
 */
export async function resolveFinalTrainingSettings(
  request: FinalTrainingRequest,
): Promise<FinalTrainingSettings> {
  const { method, input, teacher } = request;
  if (!FINAL_TRAINING_METHODS.includes(method)) {
    throw new AkdError(
      'INVALID_INPUT',
      `Unknown final-training method ${String(method)}: use one of ${FINAL_TRAINING_METHODS.join(', ')}.`,
      { method },
    );
  }
  if (method !== 'hard-label' && !teacher) {
    throw new AkdError(
      'INVALID_INPUT',
      `Final training with ${method} distills from a teacher, but none is set: use hard-label or an experiment with a teacher.`,
      { method },
    );
  }
  const epochs = wholeNumber('epochs', request.epochs, 1);
  const settings: FinalTrainingSettings = {
    method,
    epochs,
    batchSize: wholeNumber('batch size', input.batchSize ?? DEFAULT_FINAL_TRAINING.batchSize, 1),
    learningRate: positiveNumber('learning rate', input.learningRate ?? DEFAULT_FINAL_TRAINING.learningRate),
    seed: integer('seed', input.seed ?? request.experimentSeed),
    kd: kdSettings(method, input, request.experimentKd),
    cc: null,
    assistant: null,
    route: null,
  };

  switch (method) {
    case 'hard-label':
    case 'hinton':
      return settings;
    case 'cc':
      return { ...settings, cc: ccSettings(input, settings.kd as HintonSettings, teacher as Teacher) };
    case 'ta':
      return { ...settings, assistant: assistantSettings(request, epochs) };
    case 'rco':
      return { ...settings, route: await routeSettings(teacher as Teacher, input, epochs) };
  }
}

/**
 * Reads the `settings` recorded on a TrainedModel row back into overrides, so that
 * {@link resolveFinalTrainingSettings} gives the recorded recipe again. Rows recorded before the
 * full recipe was stored (`{ epochs, kd }` only) read as their defaults.
 */
export function finalTrainingInputFromRecord(recorded: unknown): FinalTrainingInput {
  const record = (recorded ?? {}) as Partial<
    Omit<FinalTrainingSettings, 'kd' | 'cc' | 'assistant' | 'route'> & {
      kd: Partial<HintonSettings> | null;
      cc: Partial<{ beta: number; gamma: number }> | null;
      assistant: Partial<AssistantSettings> | null;
      route: Partial<RouteSettings> | null;
    }
  >;
  return dropUndefined({
    batchSize: record.batchSize,
    learningRate: record.learningRate,
    seed: record.seed,
    lambda: record.kd?.lambda,
    temperature: record.kd?.temperature,
    beta: record.cc?.beta,
    gamma: record.cc?.gamma,
    assistantGenome: record.assistant?.genome,
    assistantChoice: record.assistant?.choice,
    assistantEpochs: record.assistant?.epochs,
    routeAnchors: record.route?.anchors,
  });
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

function kdSettings(
  method: FinalTrainingMethod,
  input: FinalTrainingInput,
  experimentKd: HintonSettings,
): HintonSettings | null {
  if (method === 'hard-label') return null;
  // CC-KD keeps the λ and τ of its published setup unless the request gives others.
  const defaults = method === 'cc' ? DEFAULT_CC_KD_SETTINGS : experimentKd;
  const kd = {
    lambda: input.lambda ?? defaults.lambda,
    temperature: input.temperature ?? defaults.temperature,
  };
  validateHintonSettings(kd);
  return kd;
}

function ccSettings(
  input: FinalTrainingInput,
  kd: HintonSettings,
  teacher: Teacher,
): { beta: number; gamma: number } {
  const cc = {
    beta: input.beta ?? DEFAULT_CC_KD_SETTINGS.beta,
    gamma: input.gamma ?? DEFAULT_CC_KD_SETTINGS.gamma,
  };
  validateCcKdSettings({ ...kd, ...cc });
  if (!teacherHasModel(teacher)) {
    throw new AkdError(
      'INVALID_INPUT',
      `CC-KD matches the teacher's penultimate features, so it needs a teacher model, but teacher ${teacher.name} is ${describeSource(teacher)}. Use hinton, or a zoo or imported-model teacher.`,
      { teacherId: teacher.id, source: teacher.source },
    );
  }
  return cc;
}

/** Returns true for a zoo or imported-model teacher with stored model files. */
export function teacherHasModel(teacher: Teacher): boolean {
  return (teacher.source === 'zoo' || teacher.source === 'imported_model') && teacher.artifactDir !== null;
}

function describeSource(teacher: Teacher): string {
  switch (teacher.source) {
    case 'zoo':
      return teacher.artifactDir ? 'a zoo teacher' : 'a zoo teacher without model files';
    case 'imported_model':
      return teacher.artifactDir ? 'an imported model' : 'an imported model without model files';
    case 'imported_logits':
      return 'imported logits';
    case 'ensemble':
      return 'an ensemble';
  }
}

function assistantSettings(request: FinalTrainingRequest, epochs: number): AssistantSettings {
  const { input, space, studentGenome } = request;
  const teacher = request.teacher as Teacher;
  const assistantEpochs = wholeNumber('assistant epochs', input.assistantEpochs ?? epochs, 1);
  if (teacher.params === null) {
    throw new AkdError(
      'INVALID_INPUT',
      `Teacher ${teacher.name} (${describeSource(teacher)}) records no parameter count, so no teacher assistant can be checked to be smaller than it. Use hinton, or a teacher with a model.`,
      { teacherId: teacher.id, source: teacher.source },
    );
  }

  const teacherParams = Number(teacher.params);
  const studentParams = countParams(space, studentGenome);
  const given = input.assistantGenome !== undefined;
  const genome = given
    ? checkedAssistantGenome(space, input.assistantGenome)
    : chooseAssistantGenome(space, studentGenome, teacherParams);
  if (!genome) {
    throw new AkdError(
      'INVALID_INPUT',
      `No wider or deeper variant of the student (${studentParams} parameters) lies between it and teacher ${teacher.name} (${teacherParams} parameters) in size: give an assistant genome in the settings.`,
      { studentParams, teacherParams },
    );
  }

  const params = countParams(space, genome);
  if (params > teacherParams) {
    throw new AkdError(
      'INVALID_INPUT',
      `The teacher assistant has ${params} parameters, more than teacher ${teacher.name}'s ${teacherParams}: choose an assistant between the student (${studentParams}) and the teacher in size.`,
      { assistantParams: params, teacherParams, studentParams },
    );
  }
  if (studentParams > params) {
    throw new AkdError(
      'INVALID_INPUT',
      `The student has ${studentParams} parameters, more than the teacher assistant's ${params}: choose an assistant between the student and teacher ${teacher.name} (${teacherParams}) in size.`,
      { assistantParams: params, teacherParams, studentParams },
    );
  }

  return {
    genome,
    genomeHash: genomeHash(space, genome),
    params,
    epochs: assistantEpochs,
    choice: given ? (input.assistantChoice ?? 'given') : 'automatic',
  };
}

function checkedAssistantGenome(space: SearchSpace, genome: unknown): Genome {
  try {
    validateGenome(space, genome);
  } catch (error) {
    if (!(error instanceof AkdError)) throw error;
    throw new AkdError('INVALID_INPUT', `Invalid teacher assistant: ${error.message}`, error.details, {
      cause: error,
    });
  }
  return genome;
}

/**
 * Picks a teacher assistant for `student` from the search space. The candidates are the student's
 * genome with every block's filter multiplier and layer-count delta raised by 0, 1 or 2 steps,
 * capped at the largest choice. Among those with more parameters than the student and at most
 * `teacherParams`, it returns the one whose parameter count is closest, on a log scale, to the
 * geometric mean of the student's and the teacher's. Mirzadeh et al. ("Improved Knowledge
 * Distillation via Teacher Assistant", AAAI 2020) found assistants of intermediate size to work
 * best. Returns null when no variant fits.
 */
export function chooseAssistantGenome(
  space: SearchSpace,
  student: Genome,
  teacherParams: number,
): Genome | null {
  const studentParams = countParams(space, student);
  const target = 0.5 * (Math.log(studentParams) + Math.log(teacherParams));
  const multipliers = BLOCK_CHOICES.filterMultiplier;
  const deltas = BLOCK_CHOICES.layerDelta;
  let best: { genome: Genome; distance: number } | null = null;
  for (let widen = 0; widen <= 2; widen++) {
    for (let deepen = 0; deepen <= 2; deepen++) {
      const genome: Genome = {
        blocks: student.blocks.map((gene) => ({
          ...gene,
          filterMultiplier:
            multipliers[Math.min(multipliers.indexOf(gene.filterMultiplier) + widen, multipliers.length - 1)],
          layerDelta: deltas[Math.min(deltas.indexOf(gene.layerDelta) + deepen, deltas.length - 1)],
        })),
      };
      const params = countParams(space, genome);
      if (params <= studentParams || params > teacherParams) continue;
      const distance = Math.abs(Math.log(params) - target);
      if (!best || distance < best.distance) best = { genome, distance };
    }
  }
  return best?.genome ?? null;
}

async function routeSettings(
  teacher: Teacher,
  input: FinalTrainingInput,
  epochs: number,
): Promise<RouteSettings> {
  const checkpoints = await teacherCheckpoints(teacher);
  const anchors = wholeNumber('route anchors', input.routeAnchors ?? Math.min(checkpoints.length, epochs), 1);
  if (anchors > epochs) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid route anchors ${anchors}: each anchor needs at least one student epoch, so use at most the ${epochs} epochs.`,
      { anchors, epochs },
    );
  }
  if (anchors > checkpoints.length) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid route anchors ${anchors}: teacher ${teacher.name} has ${checkpoints.length} checkpoints, so use at most ${checkpoints.length}.`,
      { anchors, checkpoints: checkpoints.length },
    );
  }
  return {
    anchors,
    epochsPerAnchor: Math.floor(epochs / anchors),
    teacherEpochs: selectEqualIntervalRoute(checkpoints, anchors).map((checkpoint) => checkpoint.epoch),
  };
}

/**
 * Returns the checkpoints of a teacher's training, sorted by epoch.
 *
 * @throws AkdError INVALID_INPUT when the teacher has none, saying how to train one that keeps
 *   them.
 */
export async function teacherCheckpoints(teacher: Teacher): Promise<CheckpointLocation[]> {
  const keep = "which keep every epoch's checkpoint";
  if (teacher.source !== 'zoo') {
    throw new AkdError(
      'INVALID_INPUT',
      `RCO distills along the teacher's training checkpoints, but teacher ${teacher.name} is ${describeSource(teacher)} (source ${fromEnumKey(teacher.source)}), which has none. Use a zoo teacher trained with \`akd teachers train\` or the trainTeacher mutation, ${keep}.`,
      { teacherId: teacher.id, source: teacher.source },
    );
  }
  const checkpoints = teacher.artifactDir ? await listTeacherCheckpoints(teacher.artifactDir) : [];
  if (checkpoints.length === 0) {
    throw new AkdError(
      'INVALID_INPUT',
      `RCO distills along the teacher's training checkpoints, but teacher ${teacher.name} has none (teachers imported from shipped weights keep none): train it with \`akd teachers train --names ${teacher.family}\` or the trainTeacher mutation, ${keep}, and try again.`,
      { teacherId: teacher.id },
    );
  }
  return checkpoints;
}

function wholeNumber(name: string, value: number, minimum: number): number {
  if (!Number.isInteger(value) || value < minimum) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid ${name} ${value}: use a whole number of at least ${minimum}.`,
      {
        [name]: value,
      },
    );
  }
  return value;
}

function integer(name: string, value: number): number {
  if (!Number.isSafeInteger(value)) {
    throw new AkdError('INVALID_INPUT', `Invalid ${name} ${value}: use a whole number.`, { [name]: value });
  }
  return value;
}

function positiveNumber(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new AkdError('INVALID_INPUT', `Invalid ${name} ${value}: it must be a number greater than 0.`, {
      [name]: value,
    });
  }
  return value;
}
