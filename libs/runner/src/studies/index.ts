// Teacher-comparison studies: create them, run their cells, read their assembled results.
export * from './types.js';
export {
  DEFAULT_STUDY_FULL_EPOCHS,
  DEFAULT_STUDY_FULL_KD,
  DEFAULT_STUDY_PROXY_KD,
  MAX_STUDY_CELLS,
  MAX_STUDY_SEEDS,
  MIN_COMPARED_TEACHERS,
  MIN_RANKED_STUDENTS,
  resolveSeeds,
} from './inputs.js';
export { MAX_STUDY_STUDENTS } from './students.js';
export { createSimilarityStudy, SIMILARITY_SPLITS } from './similarity.js';
export { createRankingStudy } from './ranking.js';
export { ABLATION_POLL_SECONDS, checkLatencyTargets, createAblationStudy } from './ablation.js';
export { checkGenerations, createKdFriendlinessStudy } from './kd-friendliness.js';
export {
  cancelStudy,
  getStudy,
  listStudies,
  listStudyCells,
  refreshStudyResult,
  requireStudy,
  resumeStudy,
  type ResumeStudyOptions,
} from './records.js';
export { runStudyCell } from './run-cell.js';
export { assembleStudyResult } from './results.js';
export { RANKING_TIE_RULE, assembleRankingResult, rankWithinSpread, trainCellKey } from './ranking-result.js';
export { ablationCellKey, assembleAblationResult } from './ablation-result.js';
export { assembleKdFriendlinessResult } from './kd-friendliness-result.js';
export { SIMILARITY_CELL_KEY, assembleSimilarityResult } from './similarity-result.js';
export type { CellRecord } from './cell-summary.js';
export {
  DEFAULT_LOCAL_MAX_ATTEMPTS,
  localLauncher,
  queueLauncher,
  runStudyLocally,
  type LocalStudyEvent,
  type RunStudyLocallyOptions,
} from './local-runner.js';
