// Assembles the KD-friendliness rows of a study from its training cells. Pure.
import { measureKdFriendliness } from '@akd/analysis';
import { completedResult, countCells, missingCells, type CellRecord } from './cell-summary.js';
import { trainCellKey } from './ranking-result.js';
import {
  GROUND_TRUTH_KEY,
  type KdFriendlinessGeneration,
  type KdFriendlinessStudent,
  type KdFriendlinessStudyConfig,
  type KdFriendlinessStudyResult,
} from './types.js';

/**
 * Computes KD − CLS per student (means over seeds) and, for each generation whose students all
 * have every seed both ways, the average gain and winning ratio of `measureKdFriendliness`.
 * Generations with a missing cell keep null statistics.
 */
export function assembleKdFriendlinessResult(
  config: KdFriendlinessStudyConfig,
  cells: readonly CellRecord[],
  assembledAt = new Date(),
): KdFriendlinessStudyResult {
  const byKey = new Map(cells.map((cell) => [cell.key, cell]));
  const meanAccuracy = (student: string, teacher: string): number | null => {
    const values = config.seeds.map(
      (seed) => completedResult(byKey.get(trainCellKey(student, teacher, seed)), 'train')?.accuracy ?? null,
    );
    if (values.some((value) => value === null)) return null;
    return (values as number[]).reduce((sum, value) => sum + value, 0) / values.length;
  };
  const studentGain = (student: string): KdFriendlinessStudent => {
    const distilledAccuracy = meanAccuracy(student, config.teacher.key);
    const hardLabelAccuracy = meanAccuracy(student, GROUND_TRUTH_KEY);
    const gain =
      distilledAccuracy === null || hardLabelAccuracy === null ? null : distilledAccuracy - hardLabelAccuracy;
    return { student, distilledAccuracy, hardLabelAccuracy, gain };
  };

  const generations = config.generations.map((generation): KdFriendlinessGeneration => {
    const studentsOf = (search: 'akd' | 'nas'): KdFriendlinessStudent[] =>
      (
        config.members.find((member) => member.generation === generation && member.search === search)
          ?.students ?? []
      ).map(studentGain);
    const akd = studentsOf('akd');
    const nas = studentsOf('nas');
    const ready =
      [...akd, ...nas].every((student) => student.gain !== null) && akd.length > 0 && nas.length > 0;
    if (!ready) {
      return {
        generation,
        akd,
        nas,
        averageGain: null,
        winningRatio: null,
        wins: null,
        ties: null,
        comparisons: null,
      };
    }
    const toTrained = (student: KdFriendlinessStudent) => ({
      distilledAccuracy: student.distilledAccuracy as number,
      hardLabelAccuracy: student.hardLabelAccuracy as number,
    });
    const [row] = measureKdFriendliness([{ generation, akd: akd.map(toTrained), nas: nas.map(toTrained) }]);
    return {
      generation,
      akd,
      nas,
      averageGain: row.averageGain,
      winningRatio: row.winningRatio,
      wins: row.wins,
      ties: row.ties,
      comparisons: row.comparisons,
    };
  });
  const counts = countCells(cells);
  return {
    kind: 'kd-friendliness',
    complete: counts.completed === counts.total && generations.every((row) => row.averageGain !== null),
    cells: counts,
    missing: missingCells(cells),
    assembledAt: assembledAt.toISOString(),
    generations,
  };
}
