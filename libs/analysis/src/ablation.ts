import { AkdError } from '@akd/core';

import { ensureDistinct, ensureFraction, ensurePositive } from './checks.js';

/** Training signal: the dataset's hard labels, or knowledge distillation from the teacher. */
export type LabelSource = 'hard-label' | 'distillation';

/** The two label sources, in table order. */
export const LABEL_SOURCES: readonly LabelSource[] = ['hard-label', 'distillation'];

/** One setting of the ablation: how the search scored candidates and how the final student trained. */
export interface AblationSetting {
  /** Signal the proxy task trained candidates with during the search. */
  searchBy: LabelSource;
  /** Signal the final student trained with. */
  trainBy: LabelSource;
}

/** The four settings in table order: searchBy outer, trainBy inner, hard-label first. */
export const ABLATION_SETTINGS: readonly AblationSetting[] = LABEL_SOURCES.flatMap((searchBy) =>
  LABEL_SOURCES.map((trainBy) => ({ searchBy, trainBy })),
);

/** Final accuracy of the student found under one latency target and setting. */
export interface AblationResult extends AblationSetting {
  /** Latency target of the search in milliseconds. */
  latencyTargetMs: number;
  /** Top-1 accuracy, a fraction in [0, 1]. */
  top1: number;
  /** Top-5 accuracy, a fraction in [top1, 1]. */
  top5: number;
}

/** One entry of the ablation table, with null accuracies when no result was given. */
export interface AblationCell extends AblationSetting {
  top1: number | null;
  top5: number | null;
  missing: boolean;
}

/** The four settings under one latency target. */
export interface AblationRow {
  latencyTargetMs: number;
  /** One cell per entry of {@link ABLATION_SETTINGS}, in that order. */
  cells: AblationCell[];
}

/** A latency target and setting with no result. */
export interface MissingAblationResult extends AblationSetting {
  latencyTargetMs: number;
}

/** The ablation of label sources across latency targets. */
export interface AblationTable {
  /** One row per latency target, in the order of `latencyTargetsMs`. */
  rows: AblationRow[];
  /** Every missing cell, in row then setting order. */
  missing: MissingAblationResult[];
}

/**
 * Assembles the ablation of search signal × training signal (hard labels or distillation) for
 * each latency target, with one cell per target and setting and the absent cells flagged and
 * listed. Targets default to those of the results in ascending order. Throws INVALID_INPUT for a
 * repeated (target, searchBy, trainBy) result, a target missing from the given list, an unknown
 * label source, a target that is not positive, an accuracy outside [0, 1], top-5 below top-1,
 * and an empty target list.
 */
export function buildAblationTable(
  results: readonly AblationResult[],
  latencyTargetsMs?: readonly number[],
): AblationTable {
  results.forEach(checkResult);
  const targets = [...(latencyTargetsMs ?? [...new Set(results.map((result) => result.latencyTargetMs))])];
  if (latencyTargetsMs === undefined) targets.sort((a, b) => a - b);
  if (targets.length === 0) {
    throw new AkdError(
      'INVALID_INPUT',
      'An ablation table needs at least one latency target, but no targets or results were given.',
    );
  }
  targets.forEach((target, index) => ensurePositive(target, `latencyTargetsMs[${index}]`));
  ensureDistinct(targets, 'latencyTargetsMs');

  const byKey = new Map<string, AblationResult>();
  results.forEach((result, index) => {
    const where = `results[${index}] (target ${result.latencyTargetMs} ms, searchBy ${result.searchBy}, trainBy ${result.trainBy})`;
    if (!targets.includes(result.latencyTargetMs)) {
      throw new AkdError(
        'INVALID_INPUT',
        `${where} has a latency target that latencyTargetsMs does not list. Add the target or drop the result.`,
        { index },
      );
    }
    const key = settingKey(result.latencyTargetMs, result);
    if (byKey.has(key)) {
      throw new AkdError('INVALID_INPUT', `${where} repeats an earlier result. Pass one result per cell.`, {
        index,
      });
    }
    byKey.set(key, result);
  });

  const missing: MissingAblationResult[] = [];
  const rows = targets.map((latencyTargetMs) => ({
    latencyTargetMs,
    cells: ABLATION_SETTINGS.map(({ searchBy, trainBy }): AblationCell => {
      const result = byKey.get(settingKey(latencyTargetMs, { searchBy, trainBy }));
      if (result === undefined) {
        missing.push({ latencyTargetMs, searchBy, trainBy });
        return { searchBy, trainBy, top1: null, top5: null, missing: true };
      }
      return { searchBy, trainBy, top1: result.top1, top5: result.top5, missing: false };
    }),
  }));
  return { rows, missing };
}

function settingKey(latencyTargetMs: number, setting: AblationSetting): string {
  return JSON.stringify([latencyTargetMs, setting.searchBy, setting.trainBy]);
}

function checkResult(result: AblationResult, index: number): void {
  for (const field of ['searchBy', 'trainBy'] as const) {
    if (!LABEL_SOURCES.includes(result[field])) {
      throw new AkdError(
        'INVALID_INPUT',
        `results[${index}].${field} is ${JSON.stringify(result[field])}. Use ${LABEL_SOURCES.join(' or ')}.`,
        { index, field },
      );
    }
  }
  ensurePositive(result.latencyTargetMs, `results[${index}].latencyTargetMs`);
  ensureFraction(result.top1, `results[${index}].top1`);
  ensureFraction(result.top5, `results[${index}].top5`);
  if (result.top5 < result.top1) {
    throw new AkdError(
      'INVALID_INPUT',
      `results[${index}] has top-5 accuracy ${result.top5} below its top-1 accuracy ${result.top1}. Top-5 can never be lower.`,
      { index },
    );
  }
}
