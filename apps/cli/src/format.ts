import type { LeaderboardEntry } from '@akd/runner';

/** Formats leaderboard rows as an aligned text table. */
export function formatLeaderboard(rows: readonly LeaderboardEntry[]): string {
  if (rows.length === 0) return '  (no completed candidates yet)';
  const header = ['#', 'architecture', 'proxy acc', 'latency ms', 'params', 'MFLOPs', 'reward'];
  const body = rows.map((r, i) => [
    String(i + 1),
    r.architecture,
    `${(r.accuracy * 100).toFixed(2)}%`,
    r.latencyMs.toFixed(3),
    r.params.toLocaleString('en-US'),
    (r.flops / 1e6).toFixed(2),
    r.reward.toFixed(4),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const line = (cells: string[]): string =>
    '  ' + cells.map((cell, c) => (c === 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
