// Pure helpers that summarize a study's cells for its assembled result.
import type {
  StudyCellConfig,
  StudyCellCounts,
  StudyCellProblem,
  StudyCellResult,
  StudyStatusName,
} from './types.js';

/** The fields of a StudyCell row that result assembly reads. */
export interface CellRecord {
  id: string;
  key: string;
  status: StudyStatusName;
  attempts: number;
  config: StudyCellConfig;
  result: StudyCellResult | null;
  error: string | null;
}

/** Counts the cells in each status. */
export function countCells(cells: readonly { status: StudyStatusName }[]): StudyCellCounts {
  const counts: StudyCellCounts = {
    total: cells.length,
    pending: 0,
    running: 0,
    completed: 0,
    failed: 0,
    cancelled: 0,
  };
  for (const cell of cells) counts[cell.status]++;
  return counts;
}

/** Lists the cells without a result, in key order. */
export function missingCells(cells: readonly CellRecord[]): StudyCellProblem[] {
  return cells
    .filter((cell) => cell.status !== 'completed' || cell.result === null)
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((cell) => ({
      cellId: cell.id,
      key: cell.key,
      status: cell.status,
      attempts: cell.attempts,
      error: cell.error,
    }));
}

/** Returns the result of a completed cell, or null. */
export function completedResult<K extends StudyCellResult['kind']>(
  cell: CellRecord | undefined,
  kind: K,
): Extract<StudyCellResult, { kind: K }> | null {
  if (!cell || cell.status !== 'completed' || !cell.result || cell.result.kind !== kind) return null;
  return cell.result as Extract<StudyCellResult, { kind: K }>;
}

/**
 * Derives a study's status from its cells. It is completed when every cell completed, and pending
 * before any cell started. While cells remain to run it is running, once any cell has started. It
 * is failed when no cell is left to run and at least one failed or was cancelled.
 */
export function studyStatusFromCells(cells: readonly CellRecord[]): StudyStatusName {
  const counts = countCells(cells);
  if (counts.total > 0 && counts.completed === counts.total) return 'completed';
  if (counts.pending + counts.running > 0) {
    const started =
      counts.running > 0 || cells.some((cell) => cell.attempts > 0 || cell.status !== 'pending');
    return started ? 'running' : 'pending';
  }
  return 'failed';
}
