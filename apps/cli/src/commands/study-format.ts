// Text tables of `akd study show` and the study commands.
import type {
  AblationStudyResult,
  KdFriendlinessStudyResult,
  RankingStudyConfig,
  RankingStudyResult,
  SimilarityStudyResult,
  StudyCellProblem,
  StudyTeacherRef,
  StudyView,
} from '@akd/runner';

/** Formats `rows` as columns: the first left-aligned, the others right-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, c) =>
    Math.max(title.length, ...rows.map((row) => (row[c] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    '  ' + cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

function percent(value: number | null, digits = 2): string {
  return value === null ? '—' : `${(value * 100).toFixed(digits)}`;
}

function number(value: number | null, digits = 3): string {
  return value === null ? '—' : value.toFixed(digits);
}

/** Formats a whole study: a header line, then the table of its kind, then its missing cells. */
export function formatStudy(study: StudyView): string {
  const counts = study.cells;
  const lines = [
    `Study ${study.id} "${study.name}": ${study.kind}, ${study.status} (${counts.completed}/${counts.total} cells completed, ${counts.failed} failed)`,
  ];
  const result = study.result;
  if (!result) return lines.concat('  (no result yet)').join('\n');
  switch (result.kind) {
    case 'similarity':
      lines.push(formatSimilarity(result));
      break;
    case 'ranking':
      lines.push(formatRanking(study.config as RankingStudyConfig, result));
      break;
    case 'ablation':
      lines.push(formatAblation(result));
      break;
    case 'kd-friendliness':
      lines.push(formatKdFriendliness(result));
      break;
  }
  if (result.missing.length > 0) lines.push(formatMissing(result.missing, teacherNames(study)));
  return lines.join('\n');
}

/** Maps teacher ids to names for the studies whose cell keys contain teacher ids. */
function teacherNames(study: StudyView): Map<string, string> {
  const config = study.config;
  let teachers: StudyTeacherRef[] = [];
  if (config.kind === 'ranking') teachers = config.teachers;
  if (config.kind === 'kd-friendliness') teachers = [config.teacher];
  return new Map(teachers.map((teacher) => [teacher.key, teacher.name]));
}

function formatMissing(missing: readonly StudyCellProblem[], names: ReadonlyMap<string, string>): string {
  const listed = missing.slice(0, 20).map((cell) => {
    const key = cell.key
      .split('/')
      .map((part) => names.get(part) ?? part)
      .join('/');
    const error = cell.error ? `: ${cell.error}` : '';
    return `  ${key} ${cell.status} after ${cell.attempts} attempt${cell.attempts === 1 ? '' : 's'}${error}`;
  });
  const more = missing.length > 20 ? [`  … and ${missing.length - 20} more`] : [];
  return ['', `Cells without a result (${missing.length}):`, ...listed, ...more].join('\n');
}

function formatSimilarity(result: SimilarityStudyResult): string {
  const similarity = result.similarity;
  if (!similarity) return `\nSimilarity on ${result.split}: not computed yet.`;
  const table = (values: number[][], digits: number): string =>
    formatTable(
      ['', ...similarity.names],
      similarity.names.map((name, i) => [name, ...values[i].map((value) => value.toFixed(digits))]),
    );
  return [
    '',
    `Mean KL(row ‖ column) in nats on ${result.split} (${similarity.samples} samples, temperature ${similarity.temperature}${similarity.labelSmoothing === null ? '' : `, GT smoothed by ${similarity.labelSmoothing}`}):`,
    table(similarity.meanKl, 3),
    '',
    'Top-1 agreement (share of samples with the same class):',
    table(similarity.agreement, 3),
  ].join('\n');
}

/** Formats the students, the accuracy matrix with ranks, the best students and Kendall τ. */
export function formatRanking(config: RankingStudyConfig, result: RankingStudyResult): string {
  const lines: string[] = [];
  const evaluatedOn = config.training.mode === 'proxy' ? 'mini-val' : 'test';
  lines.push(
    '',
    'Students:',
    formatTable(
      ['key', 'hash', 'params', 'MFLOPs', 'source', 'architecture'],
      config.students.map((student) => [
        student.key,
        student.genomeHash.slice(0, 8),
        student.params.toLocaleString('en-US'),
        (student.flops / 1e6).toFixed(2),
        student.source,
        student.architecture,
      ]),
    ),
  );

  const rankOf = (student: string, t: number): string => {
    const rank = result.rankings[t].ranks?.find((entry) => entry.student === student);
    if (!rank) return '';
    const tied = rank.tiedWith.length > 0 ? '=' : '';
    return ` (${tied}${rank.rank})`;
  };
  lines.push(
    '',
    `Top-1 accuracy on ${evaluatedOn} in %, mean ± standard deviation over ${result.seeds.length} seed${result.seeds.length === 1 ? '' : 's'}, (rank) under each teacher; "=" marks a rank shared within the seed spread:`,
    formatTable(
      ['student', ...result.teacherNames],
      result.students.map((student, s) => [
        student,
        ...result.matrix[s].map((entry, t) => {
          if (entry.mean === null) return '—';
          const spread = entry.standardDeviation === null ? '' : ` ± ${percent(entry.standardDeviation)}`;
          const partial = entry.seeds < result.seeds.length ? ` [${entry.seeds}/${result.seeds.length}]` : '';
          return `${percent(entry.mean)}${spread}${partial}${rankOf(student, t)}`;
        }),
      ]),
    ),
  );

  lines.push('', 'Best student per teacher:');
  result.rankings.forEach((ranking, t) => {
    const name = result.teacherNames[t];
    if (!ranking.complete || !ranking.best) {
      lines.push(`  ${name}: incomplete, not ranked`);
      return;
    }
    const within = (ranking.bestWithinSpread ?? []).filter((student) => !ranking.best?.includes(student));
    const tie = within.length > 0 ? `; tied within the seed spread: ${within.join(', ')}` : '';
    lines.push(`  ${name}: ${ranking.best.join(', ')}${tie}`);
  });

  lines.push(
    '',
    'Kendall τ-b between the teachers’ rankings (by mean accuracy):',
    formatTable(
      ['', ...result.teacherNames],
      result.teacherNames.map((name, i) => [name, ...result.kendallTau[i].map((tau) => number(tau, 2))]),
    ),
    '',
    result.tieRule,
  );
  if (result.incompleteReason) lines.push('', `Incomplete: ${result.incompleteReason}`);
  return lines.join('\n');
}

function formatAblation(result: AblationStudyResult): string {
  const lines: string[] = [];
  for (const row of result.rows) {
    lines.push(
      '',
      `Latency target ${row.latencyTargetMs} ms: test accuracy in %`,
      formatTable(
        ['search by', 'train by', 'top-1', 'top-5', 'status'],
        row.entries.map((entry) => [
          entry.searchBy,
          entry.trainBy,
          percent(entry.top1),
          percent(entry.top5),
          entry.status,
        ]),
      ),
    );
  }
  return lines.join('\n');
}

function formatKdFriendliness(result: KdFriendlinessStudyResult): string {
  return [
    '',
    'KD gain (KD − CLS accuracy) of the AKD search’s students over the NAS search’s students:',
    formatTable(
      ['generation', 'AKD mean gain', 'NAS mean gain', 'average gain', 'winning ratio', 'wins/pairs'],
      result.generations.map((row) => {
        const meanGain = (students: typeof row.akd): string => {
          const gains = students.map((student) => student.gain);
          if (gains.some((gain) => gain === null)) return '—';
          return percent((gains as number[]).reduce((sum, gain) => sum + gain, 0) / gains.length);
        };
        return [
          String(row.generation),
          meanGain(row.akd),
          meanGain(row.nas),
          percent(row.averageGain),
          number(row.winningRatio, 2),
          row.wins === null ? '—' : `${row.wins}/${row.comparisons}`,
        ];
      }),
    ),
    '  (gains in accuracy points)',
  ].join('\n');
}
