// Assembles the 2 × 2 ablation table per latency target from the cells of an ablation study. Pure.
import { buildAblationTable, type AblationResult, type LabelSource } from '@akd/analysis';
import { completedResult, countCells, missingCells, type CellRecord } from './cell-summary.js';
import type { AblationEntry, AblationStudyConfig, AblationStudyResult } from './types.js';

/** Key of the ablation cell for one latency target and setting. */
export function ablationCellKey(
  latencyTargetMs: number,
  searchBy: LabelSource,
  trainBy: LabelSource,
): string {
  return `target-${latencyTargetMs}ms/search-${searchBy}/train-${trainBy}`;
}

/**
 * Places every completed cell's test top-1 and top-5 in the table of its latency target, with the
 * status and error of cells that have no result yet.
 */
export function assembleAblationResult(
  config: AblationStudyConfig,
  cells: readonly CellRecord[],
  assembledAt = new Date(),
): AblationStudyResult {
  const byKey = new Map(cells.map((cell) => [cell.key, cell]));
  const results: AblationResult[] = [];
  for (const cell of cells) {
    const result = completedResult(cell, 'ablation');
    if (!result || cell.config.kind !== 'ablation') continue;
    const { latencyTargetMs, searchBy, trainBy } = cell.config;
    results.push({ latencyTargetMs, searchBy, trainBy, top1: result.top1, top5: result.top5 });
  }
  const table = buildAblationTable(results, config.latencyTargetsMs);
  const rows = table.rows.map((row) => ({
    latencyTargetMs: row.latencyTargetMs,
    entries: row.cells.map((entry): AblationEntry => {
      const cell = byKey.get(ablationCellKey(row.latencyTargetMs, entry.searchBy, entry.trainBy));
      const result = completedResult(cell, 'ablation');
      const search = config.searches.find(
        (ref) => ref.latencyTargetMs === row.latencyTargetMs && ref.searchBy === entry.searchBy,
      );
      return {
        searchBy: entry.searchBy,
        trainBy: entry.trainBy,
        top1: entry.top1,
        top5: entry.top5,
        experimentId: search?.experimentId ?? '',
        trainedModelId: result?.trainedModelId ?? null,
        status: cell?.status ?? 'pending',
        error: cell?.error ?? null,
      };
    }),
  }));
  const counts = countCells(cells);
  return {
    kind: 'ablation',
    complete: table.missing.length === 0 && counts.completed === counts.total,
    cells: counts,
    missing: missingCells(cells),
    assembledAt: assembledAt.toISOString(),
    rows,
  };
}
