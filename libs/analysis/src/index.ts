export { averageRanks, kendallTauB, pearsonR, spearmanRho } from './correlation.js';
export type { RankOrder } from './correlation.js';
export { summarizeSample } from './descriptive.js';
export type { SampleSummary } from './descriptive.js';
export { logGamma, regularizedIncompleteBeta, studentTTwoSidedPValue } from './student-t.js';
export { welchTTest } from './welch-test.js';
export type { WelchTestResult } from './welch-test.js';
export { DEFAULT_LABEL_SMOOTHING, GROUND_TRUTH_NAME, compareTeachers } from './teacher-similarity.js';
export type {
  LogitsMatrixInput,
  TeacherLogitsInput,
  TeacherSimilarity,
  TeacherSimilarityOptions,
} from './teacher-similarity.js';
export { buildRankingMatrix } from './ranking-matrix.js';
export type {
  AccuracyCell,
  MissingCell,
  RankingMatrix,
  RankingMatrixOptions,
  StudentAccuracy,
  StudentComparison,
  TeacherRanking,
} from './ranking-matrix.js';
export { ABLATION_SETTINGS, LABEL_SOURCES, buildAblationTable } from './ablation.js';
export type {
  AblationCell,
  AblationResult,
  AblationRow,
  AblationSetting,
  AblationTable,
  LabelSource,
  MissingAblationResult,
} from './ablation.js';
export { measureKdFriendliness } from './kd-friendliness.js';
export type { KdFriendlinessInput, KdFriendlinessRow, TrainedStudent } from './kd-friendliness.js';
export { orientVector, symmetricEigen } from './symmetric-eigen.js';
export type { SymmetricEigenDecomposition } from './symmetric-eigen.js';
export { computeGenomePca2d, computePca2d } from './pca.js';
export type { GenomePca2dResult, Pca2dResult } from './pca.js';
export { countArchitectureChoices } from './architecture-distribution.js';
export type { ChoiceCount, GenerationDistribution, GenerationGenomes } from './architecture-distribution.js';
export { fitLatencyToFlops, fitLine } from './line-fit.js';
export type { LatencyPoint, LineFit } from './line-fit.js';
export { paretoFront } from './pareto.js';
export type { AccuracyLatency } from './pareto.js';
export { measureProxyFidelity } from './proxy-fidelity.js';
export type { ProxyFidelity, ProxyFinalAccuracy } from './proxy-fidelity.js';
export { adviseTeachers } from './teacher-advice.js';
export type { DistilledCandidate, TeacherAdvice } from './teacher-advice.js';
