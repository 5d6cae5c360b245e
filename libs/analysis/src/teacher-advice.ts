import { AkdError } from '@akd/core';

import { ensureDistinct, ensureFinite, ensureFraction, ensureName, ensurePositive } from './checks.js';
import { averageRanks } from './correlation.js';

/** A distilled student found by a search with one teacher. */
export interface DistilledCandidate {
  /** Name of the teacher the student was distilled from. */
  teacher: string;
  /** Distilled top-1 accuracy, a fraction in [0, 1]. */
  accuracy: number;
  /** Measured inference latency in milliseconds. */
  latencyMs: number;
}

/** One teacher's standing: its best student under the latency target and the evidence behind it. */
export interface TeacherAdvice<T extends DistilledCandidate> {
  teacher: string;
  /** Average rank of `bestAccuracy` among the teachers (1 = best), or null with no candidate under the target. */
  rank: number | null;
  /** Most accurate candidate within the target, the faster one on equal accuracy, or null if none. */
  best: T | null;
  /** Accuracy of `best`, or null if none. */
  bestAccuracy: number | null;
  /** Candidates of this teacher with latencyMs ≤ the target, among which `best` is the top. */
  candidatesUnderTarget: number;
  /** All candidates of this teacher, whatever their latency. */
  candidates: number;
}

/**
 * Ranks teachers by the accuracy of the best distilled student found so far whose latency is
 * within `latencyTargetMs` (latencyMs ≤ target). Each entry says how many candidates that figure
 * rests on: `candidatesUnderTarget` under the target, out of `candidates` in all. A best accuracy
 * backed by few candidates only shows that the search has barely explored that teacher.
 *
 * Teachers with a best accuracy come first, by rank, where equal accuracies share an average rank
 * and keep teacher order. Teachers with no candidate under the target follow, with null rank, in
 * teacher order. Teachers are `options.teachers` if given, so that teachers without any candidate
 * still appear, otherwise those of the candidates in order of first appearance. Within a teacher,
 * the best candidate is the most accurate, then the fastest, then the first in input order.
 *
 * Throws INVALID_INPUT for a target that is not positive, no candidates and no teachers, a
 * candidate whose teacher `options.teachers` does not list, an accuracy outside [0, 1] and a
 * latency that is not finite.
 */
export function adviseTeachers<T extends DistilledCandidate>(
  candidates: readonly T[],
  latencyTargetMs: number,
  options: { teachers?: readonly string[] } = {},
): TeacherAdvice<T>[] {
  ensurePositive(latencyTargetMs, 'latencyTargetMs');
  candidates.forEach((candidate, index) => {
    ensureName(candidate.teacher, `candidates[${index}].teacher`);
    ensureFraction(candidate.accuracy, `candidates[${index}].accuracy`);
    ensureFinite(candidate.latencyMs, `candidates[${index}].latencyMs`);
  });
  const teachers = [...(options.teachers ?? new Set(candidates.map((candidate) => candidate.teacher)))];
  if (teachers.length === 0) {
    throw new AkdError(
      'INVALID_INPUT',
      'There are no candidates and no teachers to advise on. Pass at least one.',
    );
  }
  ensureDistinct(teachers, 'teachers');
  candidates.forEach((candidate, index) => {
    if (!teachers.includes(candidate.teacher)) {
      throw new AkdError(
        'INVALID_INPUT',
        `candidates[${index}] has teacher ${candidate.teacher}, which options.teachers does not list. Add it or drop the candidate.`,
        { index, teacher: candidate.teacher },
      );
    }
  });

  const advice = teachers.map((teacher): TeacherAdvice<T> => {
    const own = candidates.filter((candidate) => candidate.teacher === teacher);
    const underTarget = own.filter((candidate) => candidate.latencyMs <= latencyTargetMs);
    let best: T | null = null;
    for (const candidate of underTarget) {
      if (
        best === null ||
        candidate.accuracy > best.accuracy ||
        (candidate.accuracy === best.accuracy && candidate.latencyMs < best.latencyMs)
      ) {
        best = candidate;
      }
    }
    return {
      teacher,
      rank: null,
      best,
      bestAccuracy: best?.accuracy ?? null,
      candidatesUnderTarget: underTarget.length,
      candidates: own.length,
    };
  });

  const ranked = advice.filter((entry) => entry.bestAccuracy !== null);
  if (ranked.length > 0) {
    const ranks = averageRanks(
      ranked.map((entry) => entry.bestAccuracy as number),
      'descending',
    );
    ranked.forEach((entry, index) => (entry.rank = ranks[index]));
  }
  // Stable sort: equal ranks keep teacher order, and unranked teachers go last in teacher order.
  return [...advice].sort((a, b) => {
    if (a.rank === null || b.rank === null) return (a.rank === null ? 1 : 0) - (b.rank === null ? 1 : 0);
    return a.rank - b.rank;
  });
}
