// Checks and defaults shared by the study create functions. Everything here only reads the
// database, so a rejected input leaves nothing behind.
import { AkdError } from '@akd/core';
import type { Dataset, PrismaClient, Teacher } from '@akd/db';
import { validateHintonSettings, type HintonSettings } from '@akd/engine';
import { PROXY_PRESETS, validateProxySettings, type ProxySettings } from '@akd/proxy-task';
import { DEFAULT_FINAL_TRAINING } from '../final-settings.js';
import { hasLogitsForSplit, type LogitsSplit } from '../teacher-logits.js';
import type { StudyTeacherRef, StudyTraining, StudyTrainingInput } from './types.js';

/** Most seeds a study may train each cell with. */
export const MAX_STUDY_SEEDS = 20;

/** Most cells one study may create. */
export const MAX_STUDY_CELLS = 5000;

/** Minimum number of teachers that a similarity or ranking study compares. */
export const MIN_COMPARED_TEACHERS = 2;

/** Minimum number of distinct students that a ranking study ranks. */
export const MIN_RANKED_STUDENTS = 2;

/** Hinton settings of proxy-mode study training: gentle, because the proxy training is short. */
export const DEFAULT_STUDY_PROXY_KD: HintonSettings = { lambda: 0.5, temperature: 2 };

/** Hinton settings of full-mode study training and of distilled final trainings. */
export const DEFAULT_STUDY_FULL_KD: HintonSettings = { lambda: 0.9, temperature: 4 };

/** Epochs of full-mode study training unless the input gives others. */
export const DEFAULT_STUDY_FULL_EPOCHS = 5;

/**
 * Returns `PROXY_PRESETS.quick` with `overrides`. When no size is given and the quick subsets do
 * not fit the training split, they shrink to three quarters of it, keeping their 2:1 ratio.
 * Throws INVALID_INPUT, naming the field, for settings the dataset cannot satisfy.
 */
export function resolveProxySettings(
  overrides: Partial<ProxySettings> | undefined,
  trainCount: number,
): ProxySettings {
  const proxy: ProxySettings = { ...PROXY_PRESETS.quick, ...overrides };
  const sizesGiven = overrides?.trainSize !== undefined || overrides?.valSize !== undefined;
  if (!sizesGiven && proxy.trainSize + proxy.valSize > trainCount) {
    const scale = (0.75 * trainCount) / (proxy.trainSize + proxy.valSize);
    proxy.trainSize = Math.max(1, Math.floor(proxy.trainSize * scale));
    proxy.valSize = Math.max(1, Math.floor(proxy.valSize * scale));
  }
  validateProxySettings(proxy, trainCount);
  return proxy;
}

/** Returns Hinton settings with defaults applied, after checking them. */
export function resolveKd(
  overrides: Partial<HintonSettings> | undefined,
  fallback: HintonSettings,
): HintonSettings {
  const kd = { ...fallback, ...overrides };
  validateHintonSettings(kd);
  return kd;
}

/** Applies the defaults of {@link StudyTrainingInput} for `dataset` and checks every field. */
export function resolveTraining(input: StudyTrainingInput | undefined, dataset: Dataset): StudyTraining {
  if (input?.mode === 'full') {
    const training: StudyTraining = {
      mode: 'full',
      epochs: input.epochs ?? DEFAULT_STUDY_FULL_EPOCHS,
      batchSize: input.batchSize ?? DEFAULT_FINAL_TRAINING.batchSize,
      learningRate: input.learningRate ?? DEFAULT_FINAL_TRAINING.learningRate,
      kd: resolveKd(input.kd, DEFAULT_STUDY_FULL_KD),
    };
    checkWholeNumber(training.epochs, 'training epochs', 1, 1000);
    checkWholeNumber(training.batchSize, 'training batch size', 1, 65536);
    if (!(training.learningRate > 0 && training.learningRate < 1)) {
      throw new AkdError(
        'INVALID_INPUT',
        `Invalid training learning rate ${training.learningRate}: use a value between 0 and 1, such as 0.004.`,
      );
    }
    return training;
  }
  const mode = (input as { mode?: unknown } | undefined)?.mode;
  if (mode !== undefined && mode !== 'proxy') {
    throw new AkdError('INVALID_INPUT', `Unknown training mode "${String(mode)}": use proxy or full.`);
  }
  const proxyInput = input as { proxy?: Partial<ProxySettings>; kd?: Partial<HintonSettings> } | undefined;
  return {
    mode: 'proxy',
    proxy: resolveProxySettings(proxyInput?.proxy, dataset.trainCount),
    kd: resolveKd(proxyInput?.kd, DEFAULT_STUDY_PROXY_KD),
  };
}

/** Split whose logits a training cell reads: the training split for both modes. */
export const TRAINING_LOGITS_SPLIT: LogitsSplit = 'train';

/**
 * Turns a seed count (1 … n) or an explicit list into the seeds of a study. Throws INVALID_INPUT
 * for zero seeds, more than {@link MAX_STUDY_SEEDS}, a seed that is not a whole number, or a
 * repeated seed.
 */
export function resolveSeeds(seeds: number | readonly number[] | undefined, fallback?: number): number[] {
  const value = seeds ?? fallback;
  if (value === undefined) {
    throw new AkdError(
      'INVALID_INPUT',
      'No seeds given: pass a seed count of at least 1 or a list of seeds.',
    );
  }
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1 || value > MAX_STUDY_SEEDS) {
      throw new AkdError(
        'INVALID_INPUT',
        `Invalid seed count ${value}: each cell needs at least 1 seed, and at most ${MAX_STUDY_SEEDS}.`,
        { seeds: value },
      );
    }
    return Array.from({ length: value }, (_, i) => i + 1);
  }
  if (value.length === 0 || value.length > MAX_STUDY_SEEDS) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid seed list with ${value.length} seeds: give from 1 to ${MAX_STUDY_SEEDS} seeds.`,
      { seeds: value.length },
    );
  }
  const seen = new Set<number>();
  for (const seed of value) {
    if (!Number.isInteger(seed) || seed < -2147483648 || seed > 2147483647) {
      throw new AkdError('INVALID_INPUT', `Invalid seed ${seed}: use a whole number that fits in 32 bits.`);
    }
    if (seen.has(seed))
      throw new AkdError('INVALID_INPUT', `Seed ${seed} is listed twice; list each seed once.`);
    seen.add(seed);
  }
  return [...value];
}

/** Throws INVALID_INPUT, naming `label`, unless `value` is a whole number in [min, max]. */
export function checkWholeNumber(value: number, label: string, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid ${label} ${value}: use a whole number from ${min} to ${max}.`,
      {
        [label]: value,
      },
    );
  }
}

/** Throws INVALID_INPUT unless `name` is a usable study name. */
export function checkStudyName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 200) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid study name ${JSON.stringify(name)}: use 1 to 200 characters.`,
    );
  }
  return trimmed;
}

/** Teachers of a study, checked, with the dataset they share. */
export interface StudyTeachers {
  teachers: Teacher[];
  dataset: Dataset;
}

/**
 * Loads the teachers `ids` and checks that there are at least `minimum`, none repeated, and that
 * every one exists and is ready. All must belong to one dataset, and each must produce logits for
 * `split`, which imported-logits teachers do only for the splits they were imported with.
 */
export async function loadStudyTeachers(
  prisma: PrismaClient,
  ids: readonly string[],
  minimum: number,
  split: LogitsSplit,
): Promise<StudyTeachers> {
  if (!Array.isArray(ids) || ids.length < minimum) {
    const given = Array.isArray(ids) ? ids.length : 0;
    throw new AkdError(
      'INVALID_INPUT',
      `A study needs at least ${minimum} teachers, but ${given} ${given === 1 ? 'was' : 'were'} given. Add teachers to compare.`,
      { teachers: given },
    );
  }
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id))
      throw new AkdError('INVALID_INPUT', `Teacher ${id} is listed twice; list each teacher once.`);
    seen.add(id);
  }
  const rows = await prisma.teacher.findMany({ where: { id: { in: ids.filter(isUuid) } } });
  const teachers = ids.map((id) => {
    const teacher = rows.find((row) => row.id === id);
    if (!teacher) throw new AkdError('NOT_FOUND', `Teacher ${id} does not exist.`, { teacherId: id });
    return teacher;
  });
  for (const teacher of teachers) {
    if (teacher.status !== 'ready') {
      throw new AkdError(
        'INVALID_INPUT',
        `Teacher ${teacher.name} is ${teacher.status}, not ready; wait for its training or pick a ready teacher.`,
        { teacherId: teacher.id, status: teacher.status },
      );
    }
  }
  const first = teachers[0];
  const other = teachers.find((teacher) => teacher.datasetId !== first.datasetId);
  if (other) {
    throw new AkdError(
      'INVALID_INPUT',
      `Teachers ${first.name} and ${other.name} belong to different datasets; compare teachers of one dataset.`,
      { teacherIds: [first.id, other.id] },
    );
  }
  const dataset = await prisma.dataset.findUniqueOrThrow({ where: { id: first.datasetId } });
  for (const teacher of teachers) {
    const count = split === 'train' ? dataset.trainCount : dataset.testCount;
    if (!(await hasLogitsForSplit(prisma, teacher, split, count))) {
      throw new AkdError(
        'INVALID_INPUT',
        `Teacher ${teacher.name} has no logits for the ${split} split (it was imported without them); import them or pick another teacher.`,
        { teacherId: teacher.id, split },
      );
    }
  }
  return { teachers, dataset };
}

/** Returns the reference a study stores for `teacher`. */
export function teacherRef(teacher: Teacher): StudyTeacherRef {
  return { key: teacher.id, name: teacher.name, testAccuracy: teacher.testAccuracy };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Returns true for a UUID string, the form of every row id. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
