// Assembles the result of a similarity study from its single cell. Pure.
import { completedResult, countCells, missingCells, type CellRecord } from './cell-summary.js';
import type { SimilarityStudyConfig, SimilarityStudyResult } from './types.js';

/** Key of the one cell of a similarity study. */
export const SIMILARITY_CELL_KEY = 'similarity';

/** Copies the similarity cell's statistics into the study result, or null while it has none. */
export function assembleSimilarityResult(
  config: SimilarityStudyConfig,
  cells: readonly CellRecord[],
  assembledAt = new Date(),
): SimilarityStudyResult {
  const similarity = completedResult(
    cells.find((cell) => cell.key === SIMILARITY_CELL_KEY),
    'similarity',
  );
  return {
    kind: 'similarity',
    complete: similarity !== null,
    cells: countCells(cells),
    missing: missingCells(cells),
    assembledAt: assembledAt.toISOString(),
    split: config.split,
    similarity,
  };
}
