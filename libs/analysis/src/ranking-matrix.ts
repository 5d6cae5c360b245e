import { AkdError } from '@akd/core';

import { ensureDistinct, ensureFinite, ensureFraction, ensureName } from './checks.js';
import { allEqual, averageRanks, kendallTauB } from './correlation.js';
import { summarizeSample } from './descriptive.js';
import { welchTTest } from './welch-test.js';

/** Accuracy of one student trained by distillation from one teacher with one seed. */
export interface AccuracyCell {
  student: string;
  teacher: string;
  /** Training seed. Every student is expected to run the same seeds under every teacher. */
  seed: number;
  /** Top-1 accuracy, a fraction in [0, 1]. */
  accuracy: number;
}

/** A (student, teacher, seed) combination that has no {@link AccuracyCell}. */
export interface MissingCell {
  student: string;
  teacher: string;
  seed: number;
}

/** Options of {@link buildRankingMatrix}. */
export interface RankingMatrixOptions {
  /** Students in output order. Default: the students of the cells in order of first appearance. */
  students?: readonly string[];
  /** Teachers in output order. Default: the teachers of the cells in order of first appearance. */
  teachers?: readonly string[];
  /** Seeds every student runs under every teacher. Default: the seeds of the cells, ascending. */
  seeds?: readonly number[];
  /** Significance level α of the Welch test that decides "within noise". Default 0.05. */
  alpha?: number;
}

/** A student's accuracy over seeds under one teacher. */
export interface StudentAccuracy {
  student: string;
  /** Number of seeds with a cell. */
  seeds: number;
  /** Mean accuracy over those seeds, or null when there are none. */
  mean: number | null;
  /** Sample standard deviation over seeds (denominator n − 1), or null for fewer than two seeds. */
  standardDeviation: number | null;
  /** Standard error of the mean, standard deviation / √seeds, or null for fewer than two seeds. */
  standardError: number | null;
  /** Average rank by mean accuracy (1 = best), or null unless the teacher has all its cells. */
  rank: number | null;
}

/** Welch test between two students under one teacher. */
export interface StudentComparison {
  /** The two students, in the order of the matrix's students. */
  students: [string, string];
  /** Mean accuracy of the first student minus that of the second. */
  meanDifference: number;
  /** Welch t statistic, or null for fewer than two seeds. */
  t: number | null;
  /** Welch–Satterthwaite degrees of freedom, or null for fewer than two seeds. */
  degreesOfFreedom: number | null;
  /** Two-sided p-value for equal mean accuracy, or null for fewer than two seeds. */
  pValue: number | null;
  /** Whether p ≥ α, so the seeds cannot tell the students apart, or null for fewer than two seeds. */
  withinNoise: boolean | null;
}

/** The students' accuracies and ranking under one teacher. */
export interface TeacherRanking {
  teacher: string;
  /** Whether every student has a cell for every seed, which ranks and comparisons need. */
  complete: boolean;
  /** One entry per student, in the matrix's student order. */
  students: StudentAccuracy[];
  /** Students with the highest mean accuracy (several only on an exact tie), or null if incomplete. */
  best: string[] | null;
  /**
   * Other students whose Welch test against a best student is within noise, or null if incomplete
   * or with fewer than two seeds.
   */
  withinNoiseOfBest: string[] | null;
  /** One entry per pair of students, or null if incomplete. */
  comparisons: StudentComparison[] | null;
}

/** Students ranked under each teacher, with the agreement between the teachers' rankings. */
export interface RankingMatrix {
  students: string[];
  teachers: string[];
  seeds: number[];
  /** Significance level of the Welch tests. */
  alpha: number;
  /** One entry per teacher, in the matrix's teacher order. */
  rankings: TeacherRanking[];
  /**
   * Kendall's τ-b between the students' mean accuracies under teachers i and j, at `[i][j]`. An
   * entry is null when either teacher is incomplete or has all means equal.
   */
  kendallTau: (number | null)[][];
  /** Cells with no accuracy, teachers in order, then students, then seeds. */
  missing: MissingCell[];
}

/**
 * Builds the student × teacher ranking matrix from per-seed accuracies.
 *
 * Under each teacher, every student gets its mean accuracy x̄ over seeds, sample standard
 * deviation s and standard error s/√n. A teacher is complete when every student has a cell for
 * every seed. Only complete teachers get ranks (average ranks of x̄, 1 = best), best students,
 * pairwise comparisons and Kendall τ-b against other complete teachers, so nothing is ranked from
 * partial data. The cells that are absent are listed in `missing`.
 *
 * Two students are within noise when Welch's t-test (see {@link welchTTest}) does not reject equal
 * means at level α: p ≥ α. With three seeds and equal spreads the test has 4 degrees of freedom,
 * so at α = 0.05 a difference must exceed 2.78 standard errors of the difference to count. No
 * correction for multiple comparisons is applied, since each pair is reported on its own.
 *
 * Throws INVALID_INPUT for fewer than two students or teachers, an empty seed list, a repeated
 * (student, teacher, seed) cell, a cell whose student, teacher or seed is missing from the lists
 * given in `options`, an accuracy outside [0, 1], and α outside (0, 1).
 */
export function buildRankingMatrix(
  cells: readonly AccuracyCell[],
  options: RankingMatrixOptions = {},
): RankingMatrix {
  cells.forEach(checkCell);
  const alpha = options.alpha ?? 0.05;
  ensureFinite(alpha, 'alpha');
  if (alpha <= 0 || alpha >= 1) {
    throw new AkdError('INVALID_INPUT', `alpha is ${alpha}. A significance level must be in (0, 1).`, {
      alpha,
    });
  }

  const students = [...(options.students ?? uniqueInOrder(cells.map((cell) => cell.student)))];
  const teachers = [...(options.teachers ?? uniqueInOrder(cells.map((cell) => cell.teacher)))];
  const seeds = [...(options.seeds ?? uniqueInOrder(cells.map((cell) => cell.seed)).sort((a, b) => a - b))];
  checkAxis(students, 2, 'students', '2 students');
  checkAxis(teachers, 2, 'teachers', '2 teachers');
  checkAxis(seeds, 1, 'seeds', 'one seed');
  seeds.forEach((seed, index) => ensureFinite(seed, `seeds[${index}]`));

  const accuracyByKey = indexCells(cells, new Set(students), new Set(teachers), new Set(seeds));
  const missing: MissingCell[] = [];
  const rankings = teachers.map((teacher) =>
    rankStudents(teacher, students, seeds, accuracyByKey, alpha, missing),
  );
  const kendallTau = rankings.map((a, i) => rankings.map((b, j) => teacherRankCorrelation(a, b, i === j)));
  return { students, teachers, seeds, alpha, rankings, kendallTau, missing };
}

function checkCell(cell: AccuracyCell, index: number): void {
  ensureName(cell.student, `cells[${index}].student`);
  ensureName(cell.teacher, `cells[${index}].teacher`);
  ensureFinite(cell.seed, `cells[${index}].seed`);
  ensureFraction(cell.accuracy, `cells[${index}].accuracy`);
}

/** Checks one axis of the matrix. `requirement` completes "needs at least", as in "2 students". */
function checkAxis<T>(values: readonly T[], minimum: number, label: string, requirement: string): void {
  if (values.length < minimum) {
    let given = `${values.length} were`;
    if (values.length === 0) given = 'none were';
    if (values.length === 1) given = 'one was';
    throw new AkdError(
      'INVALID_INPUT',
      `A ranking matrix needs at least ${requirement}, but ${given} given.`,
      {
        label,
        count: values.length,
      },
    );
  }
  ensureDistinct(values, label);
}

function uniqueInOrder<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function cellKey(student: string, teacher: string, seed: number): string {
  return JSON.stringify([student, teacher, seed]);
}

/** Maps each cell to its accuracy, rejecting repeats and cells outside the given axes. */
function indexCells(
  cells: readonly AccuracyCell[],
  students: ReadonlySet<string>,
  teachers: ReadonlySet<string>,
  seeds: ReadonlySet<number>,
): Map<string, number> {
  const accuracyByKey = new Map<string, number>();
  cells.forEach((cell, index) => {
    const where = `cells[${index}] (student ${cell.student}, teacher ${cell.teacher}, seed ${cell.seed})`;
    if (!students.has(cell.student)) throw notListed(where, 'student', cell.student, 'students');
    if (!teachers.has(cell.teacher)) throw notListed(where, 'teacher', cell.teacher, 'teachers');
    if (!seeds.has(cell.seed)) throw notListed(where, 'seed', String(cell.seed), 'seeds');

    const key = cellKey(cell.student, cell.teacher, cell.seed);
    if (accuracyByKey.has(key)) {
      throw new AkdError('INVALID_INPUT', `${where} repeats an earlier cell. Pass one accuracy per seed.`, {
        index,
      });
    }
    accuracyByKey.set(key, cell.accuracy);
  });
  return accuracyByKey;
}

function notListed(where: string, field: string, value: string, list: string): AkdError {
  return new AkdError(
    'INVALID_INPUT',
    `${where} has ${field} ${value}, which options.${list} does not list. Add it or drop the cell.`,
    { field, value },
  );
}

/** Summarizes, ranks and compares the students under one teacher, appending its missing cells. */
function rankStudents(
  teacher: string,
  students: readonly string[],
  seeds: readonly number[],
  accuracyByKey: ReadonlyMap<string, number>,
  alpha: number,
  missing: MissingCell[],
): TeacherRanking {
  const samples = students.map((student) => {
    const accuracies: number[] = [];
    for (const seed of seeds) {
      const accuracy = accuracyByKey.get(cellKey(student, teacher, seed));
      if (accuracy === undefined) missing.push({ student, teacher, seed });
      else accuracies.push(accuracy);
    }
    return accuracies;
  });
  const summaries: StudentAccuracy[] = students.map((student, index) => {
    const sample = samples[index];
    if (sample.length === 0) {
      return { student, seeds: 0, mean: null, standardDeviation: null, standardError: null, rank: null };
    }
    const summary = summarizeSample(sample);
    return {
      student,
      seeds: summary.n,
      mean: summary.mean,
      standardDeviation: summary.standardDeviation,
      standardError: summary.standardError,
      rank: null,
    };
  });

  const complete = samples.every((sample) => sample.length === seeds.length);
  if (!complete) {
    return { teacher, complete, students: summaries, best: null, withinNoiseOfBest: null, comparisons: null };
  }

  // Every student has all seeds here, so every mean is a number.
  const means = summaries.map((summary) => summary.mean as number);
  const ranks = averageRanks(means, 'descending');
  summaries.forEach((summary, index) => (summary.rank = ranks[index]));

  const comparisons: StudentComparison[] = [];
  for (let i = 0; i < students.length; i++) {
    for (let j = i + 1; j < students.length; j++) {
      comparisons.push(
        compareStudents(students[i], students[j], samples[i], samples[j], means[i] - means[j], alpha),
      );
    }
  }

  const topMean = Math.max(...means);
  const best = students.filter((_, index) => means[index] === topMean);
  const withinNoiseOfBest = seeds.length < 2 ? null : studentsWithinNoiseOf(best, students, comparisons);
  return { teacher, complete, students: summaries, best, withinNoiseOfBest, comparisons };
}

/** Lists the students outside `best` whose comparison with some student in `best` is within noise. */
function studentsWithinNoiseOf(
  best: readonly string[],
  students: readonly string[],
  comparisons: readonly StudentComparison[],
): string[] {
  const comparedWithBest = comparisons.filter(
    (comparison) =>
      comparison.withinNoise === true && comparison.students.some((student) => best.includes(student)),
  );
  return students.filter(
    (student) =>
      !best.includes(student) && comparedWithBest.some((comparison) => comparison.students.includes(student)),
  );
}

function compareStudents(
  first: string,
  second: string,
  firstSample: readonly number[],
  secondSample: readonly number[],
  meanDifference: number,
  alpha: number,
): StudentComparison {
  const students: [string, string] = [first, second];
  if (firstSample.length < 2) {
    return { students, meanDifference, t: null, degreesOfFreedom: null, pValue: null, withinNoise: null };
  }
  const test = welchTTest(firstSample, secondSample);
  return {
    students,
    meanDifference,
    t: test.t,
    degreesOfFreedom: test.degreesOfFreedom,
    pValue: test.pValue,
    withinNoise: test.pValue >= alpha,
  };
}

function teacherRankCorrelation(a: TeacherRanking, b: TeacherRanking, same: boolean): number | null {
  if (!a.complete || !b.complete) return null;
  const meansA = a.students.map((student) => student.mean as number);
  const meansB = b.students.map((student) => student.mean as number);
  if (allEqual(meansA) || allEqual(meansB)) return null;
  return same ? 1 : kendallTauB(meansA, meansB);
}
