import { AkdError } from '@akd/core';

import { ensureFinite, ensureFraction } from './checks.js';

/** Accuracies of one student architecture trained twice from scratch. */
export interface TrainedStudent {
  /** Top-1 accuracy when trained by knowledge distillation from the teacher (KD). */
  distilledAccuracy: number;
  /** Top-1 accuracy when trained on hard labels alone (CLS). */
  hardLabelAccuracy: number;
}

/** The top students of both searches at one generation. */
export interface KdFriendlinessInput {
  generation: number;
  /** Top students of the search that scored candidates by distillation (AKD). */
  akd: readonly TrainedStudent[];
  /** Top students of the conventional search that scored candidates on hard labels (NAS). */
  nas: readonly TrainedStudent[];
}

/** How much more the AKD students gain from distillation than the NAS students, at one generation. */
export interface KdFriendlinessRow {
  generation: number;
  /** Mean of KD − CLS over the AKD students. */
  akdMeanGain: number;
  /** Mean of KD − CLS over the NAS students. */
  nasMeanGain: number;
  /** akdMeanGain − nasMeanGain, the average of [KD(AKD) − CLS(AKD)] − [KD(NAS) − CLS(NAS)] over all pairs. */
  averageGain: number;
  /** Pairs (AKD student, NAS student) where the AKD student's gain is strictly larger. */
  wins: number;
  /** Pairs where the two gains are exactly equal, which count as neither win nor loss. */
  ties: number;
  /** Number of pairs compared, the product of the two student counts. */
  comparisons: number;
  /** wins / comparisons. */
  winningRatio: number;
}

/**
 * Measures whether the AKD search finds students that profit more from distillation than those of
 * a conventional search, one row per generation in ascending order.
 *
 * Each student's gain is g = KD − CLS, its distilled accuracy minus its hard-label accuracy. Every
 * AKD student is paired with every NAS student of the same generation, m·n pairs in all, because
 * the two searches' students have no natural one-to-one match. The average gain is the mean of
 * g_AKD,i − g_NAS,j over all pairs, which equals mean(g_AKD) − mean(g_NAS). The winning ratio is
 * the share of pairs with g_AKD,i > g_NAS,j. This is the Mann–Whitney U statistic divided by m·n,
 * except that ties count 0 here instead of ½, and the row reports them separately.
 *
 * Throws INVALID_INPUT for an empty input, a repeated generation, a generation without AKD or NAS
 * students, and an accuracy outside [0, 1].
 */
export function measureKdFriendliness(generations: readonly KdFriendlinessInput[]): KdFriendlinessRow[] {
  if (generations.length === 0) {
    throw new AkdError('INVALID_INPUT', 'KD-friendliness needs at least one generation, but none was given.');
  }
  const seen = new Set<number>();
  generations.forEach((input, index) => {
    ensureFinite(input.generation, `generations[${index}].generation`);
    if (seen.has(input.generation)) {
      throw new AkdError(
        'INVALID_INPUT',
        `Generation ${input.generation} appears twice. Pass each generation's students once.`,
        { generation: input.generation },
      );
    }
    seen.add(input.generation);
  });

  return [...generations].sort((a, b) => a.generation - b.generation).map(compareGeneration);
}

function compareGeneration(input: KdFriendlinessInput): KdFriendlinessRow {
  const akdGains = gains(input.akd, input.generation, 'akd');
  const nasGains = gains(input.nas, input.generation, 'nas');

  let wins = 0;
  let ties = 0;
  for (const akdGain of akdGains) {
    for (const nasGain of nasGains) {
      if (akdGain > nasGain) wins++;
      else if (akdGain === nasGain) ties++;
    }
  }
  const akdMeanGain = mean(akdGains);
  const nasMeanGain = mean(nasGains);
  const comparisons = akdGains.length * nasGains.length;
  return {
    generation: input.generation,
    akdMeanGain,
    nasMeanGain,
    averageGain: akdMeanGain - nasMeanGain,
    wins,
    ties,
    comparisons,
    winningRatio: wins / comparisons,
  };
}

function gains(students: readonly TrainedStudent[], generation: number, search: 'akd' | 'nas'): number[] {
  if (students.length === 0) {
    throw new AkdError(
      'INVALID_INPUT',
      `Generation ${generation} has no ${search.toUpperCase()} students. Pass at least one for both searches.`,
      { generation, search },
    );
  }
  return students.map((student, index) => {
    const label = `generation ${generation} ${search}[${index}]`;
    ensureFraction(student.distilledAccuracy, `${label}.distilledAccuracy`);
    ensureFraction(student.hardLabelAccuracy, `${label}.hardLabelAccuracy`);
    return student.distilledAccuracy - student.hardLabelAccuracy;
  });
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
