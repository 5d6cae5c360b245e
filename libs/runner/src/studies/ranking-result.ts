// Assembles the result of a ranking study from its cells. Pure: no database, no training.
import { buildRankingMatrix, type AccuracyCell, type RankingMatrix } from '@akd/analysis';
import { completedResult, countCells, missingCells, type CellRecord } from './cell-summary.js';
import type {
  RankingMatrixEntry,
  RankingStudyConfig,
  RankingStudyResult,
  StudentRank,
  TeacherRankingResult,
} from './types.js';

/** The tie rule of ranking results, in words. */
export const RANKING_TIE_RULE =
  'Under each teacher, two students are tied when their mean accuracies differ by no more than the ' +
  'larger of their two standard deviations over seeds. A student’s rank is 1 + the number of ' +
  'students that beat it by more than that spread, so tied students can share a rank. With one ' +
  'seed there is no spread, and only equal means tie. Kendall τ-b compares the mean accuracies.';

/** Key of a training cell of a ranking or KD-friendliness study. */
export function trainCellKey(student: string, teacher: string, seed: number): string {
  return `${student}/${teacher}/seed-${seed}`;
}

/**
 * Builds the accuracy matrix, the tie-aware ranks under each teacher, the best students and the
 * Kendall τ-b between teachers from the completed cells. A teacher with a missing seed of any
 * student gets no ranks, and τ is null for any pair involving it, so nothing is ranked from
 * partial data. `incompleteReason` gives the reason.
 */
export function assembleRankingResult(
  config: RankingStudyConfig,
  cells: readonly CellRecord[],
  assembledAt = new Date(),
): RankingStudyResult {
  const students = config.students.map((student) => student.key);
  const teachers = config.teachers.map((teacher) => teacher.key);
  const byKey = new Map(cells.map((cell) => [cell.key, cell]));

  const accuracyCells: AccuracyCell[] = [];
  for (const student of students) {
    for (const teacher of teachers) {
      for (const seed of config.seeds) {
        const result = completedResult(byKey.get(trainCellKey(student, teacher, seed)), 'train');
        if (result) accuracyCells.push({ student, teacher, seed, accuracy: result.accuracy });
      }
    }
  }
  const analysis = buildRankingMatrix(accuracyCells, { students, teachers, seeds: config.seeds });
  const matrix = students.map((student) =>
    teachers.map((teacher) => matrixEntry(student, teacher, config.seeds, accuracyCells)),
  );
  const rankings = teachers.map((teacher, t) =>
    teacherRanking(
      teacher,
      analysis,
      matrix.map((row) => row[t]),
    ),
  );
  const counts = countCells(cells);
  return {
    kind: 'ranking',
    complete: counts.completed === counts.total && analysis.missing.length === 0,
    cells: counts,
    missing: missingCells(cells),
    assembledAt: assembledAt.toISOString(),
    students,
    teachers,
    teacherNames: config.teachers.map((teacher) => teacher.name),
    seeds: [...config.seeds],
    matrix,
    rankings,
    kendallTau: analysis.kendallTau,
    tieRule: RANKING_TIE_RULE,
    incompleteReason: incompleteReason(analysis, rankings, config),
  };
}

function matrixEntry(
  student: string,
  teacher: string,
  seeds: readonly number[],
  cells: readonly AccuracyCell[],
): RankingMatrixEntry {
  const accuracies = seeds.map(
    (seed) =>
      cells.find((cell) => cell.student === student && cell.teacher === teacher && cell.seed === seed)
        ?.accuracy ?? null,
  );
  const present = accuracies.filter((value): value is number => value !== null);
  if (present.length === 0) {
    return {
      student,
      teacher,
      accuracies,
      seeds: 0,
      mean: null,
      standardDeviation: null,
      min: null,
      max: null,
    };
  }
  const mean = present.reduce((sum, value) => sum + value, 0) / present.length;
  const standardDeviation =
    present.length < 2
      ? null
      : Math.sqrt(present.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (present.length - 1));
  return {
    student,
    teacher,
    accuracies,
    seeds: present.length,
    // Equal accuracies give their own value, so identical seeds never look noisy through rounding.
    mean: present.every((value) => value === present[0]) ? present[0] : mean,
    standardDeviation:
      present.every((value) => value === present[0]) && present.length > 1 ? 0 : standardDeviation,
    min: Math.min(...present),
    max: Math.max(...present),
  };
}

function teacherRanking(
  teacher: string,
  analysis: RankingMatrix,
  entries: readonly RankingMatrixEntry[],
): TeacherRankingResult {
  const ranking = analysis.rankings.find((candidate) => candidate.teacher === teacher);
  if (!ranking || !ranking.complete) {
    return {
      teacher,
      complete: false,
      ranks: null,
      best: null,
      bestWithinSpread: null,
      withinNoiseOfBest: null,
    };
  }
  const ranks = rankWithinSpread(
    entries,
    ranking.students.map((student) => student.rank as number),
  );
  return {
    teacher,
    complete: true,
    ranks,
    best: ranking.best,
    bestWithinSpread: ranks.filter((rank) => rank.rank === 1).map((rank) => rank.student),
    withinNoiseOfBest: ranking.withinNoiseOfBest,
  };
}

/**
 * Ranks complete entries under the tie rule of {@link RANKING_TIE_RULE}: student a beats b when
 * mean_a − mean_b exceeds max(s_a, s_b), with s = 0 for a single seed. Returns the students best
 * first, by rank, then by mean, then in the study's order.
 */
export function rankWithinSpread(
  entries: readonly RankingMatrixEntry[],
  ranksByMean: readonly number[],
): StudentRank[] {
  const spread = (entry: RankingMatrixEntry): number => entry.standardDeviation ?? 0;
  const ranks = entries.map((entry, index): StudentRank & { order: number } => {
    const mean = entry.mean as number;
    let beatenBy = 0;
    const tiedWith: string[] = [];
    for (const other of entries) {
      if (other === entry) continue;
      const otherMean = other.mean as number;
      const allowed = Math.max(spread(entry), spread(other));
      if (otherMean - mean > allowed) beatenBy++;
      else if (Math.abs(otherMean - mean) <= allowed) tiedWith.push(other.student);
    }
    return {
      student: entry.student,
      mean,
      rank: 1 + beatenBy,
      rankByMean: ranksByMean[index],
      tiedWith,
      order: index,
    };
  });
  ranks.sort((a, b) => a.rank - b.rank || b.mean - a.mean || a.order - b.order);
  return ranks.map(({ order: _order, ...rank }) => rank);
}

function incompleteReason(
  analysis: RankingMatrix,
  rankings: readonly TeacherRankingResult[],
  config: RankingStudyConfig,
): string | null {
  const incomplete = rankings.filter((ranking) => !ranking.complete);
  if (incomplete.length === 0) return null;
  const names = incomplete.map(
    (ranking) => config.teachers.find((teacher) => teacher.key === ranking.teacher)?.name ?? ranking.teacher,
  );
  return (
    `${analysis.missing.length} of ${config.students.length * config.teachers.length * config.seeds.length} ` +
    `cells have no accuracy, so ${names.join(', ')} ${names.length === 1 ? 'has' : 'have'} no ranks and ` +
    'Kendall τ is not computed for pairs involving them.'
  );
}
