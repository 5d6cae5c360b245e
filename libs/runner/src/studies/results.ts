// Assembles the stored result of a study of any kind from its cells.
import { assembleAblationResult } from './ablation-result.js';
import type { CellRecord } from './cell-summary.js';
import { assembleKdFriendlinessResult } from './kd-friendliness-result.js';
import { assembleRankingResult } from './ranking-result.js';
import { assembleSimilarityResult } from './similarity-result.js';
import type { StudyConfig, StudyResult } from './types.js';

/** Builds the result of a study with `config` from its cells; pure. */
export function assembleStudyResult(
  config: StudyConfig,
  cells: readonly CellRecord[],
  assembledAt = new Date(),
): StudyResult {
  switch (config.kind) {
    case 'similarity':
      return assembleSimilarityResult(config, cells, assembledAt);
    case 'ranking':
      return assembleRankingResult(config, cells, assembledAt);
    case 'ablation':
      return assembleAblationResult(config, cells, assembledAt);
    case 'kd-friendliness':
      return assembleKdFriendlinessResult(config, cells, assembledAt);
  }
}
