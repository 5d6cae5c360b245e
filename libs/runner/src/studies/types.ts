// Public types of the teacher-comparison studies: inputs of the create functions, the configuration
// stored in Study.config and StudyCell.config, the results stored in StudyCell.result and
// Study.result, and the context that runs a cell. Every stored shape is plain JSON.
import type { ImageDataset, DatasetLocation } from '@akd/data';
import type { PrismaClient } from '@akd/db';
import type { HintonSettings } from '@akd/engine';
import type { ProxyResult, ProxySettings, ProxyTaskSpec } from '@akd/proxy-task';
import type { StrategySpec } from '@akd/search';
import type { Genome, SearchSpace } from '@akd/search-space';

// ---------------------------------------------------------------------------------------------
// Shared names

/** Study kinds, spelled as the CLI and the API spell them. */
export type StudyKindName =
  'similarity' | 'ranking' | 'ablation' | 'kd-friendliness' | 'structure' | 'proxy-fidelity';

/** Lifecycle of a study and of each of its cells. */
export type StudyStatusName = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';

/** Key of the ground-truth pseudo-teacher (training on hard labels) in configs and results. */
export const GROUND_TRUTH_KEY = 'GT';

/**
 * Queue methods that studies use. `JobQueue` of `@akd/jobs` has them, and so does the API's
 * queue interface, so both can be passed.
 */
export interface StudyQueue {
  enqueueStudyCell(studyCellId: string): Promise<unknown>;
  enqueueSearch(experimentId: string): Promise<unknown>;
  enqueueFinalTraining(trainedModelId: string): Promise<unknown>;
}

/** A teacher column of a study: a teacher row, or the ground truth ({@link GROUND_TRUTH_KEY}). */
export interface StudyTeacherRef {
  /** Teacher id, or {@link GROUND_TRUTH_KEY}. */
  key: string;
  /** Teacher name, or `GT`. */
  name: string;
  /** Test top-1 accuracy of the teacher as recorded when the study was created; null for GT. */
  testAccuracy: number | null;
}

/** A student architecture of a study. */
export interface StudyStudent {
  /** Short key unique in the study, such as `s1`; cell keys and results refer to it. */
  key: string;
  /** Human-readable label: the key, the short genome hash and the source. */
  label: string;
  /** Origin of the student, such as `genome 1`, `random seed 7 #2` or `experiment <id> #2`. */
  source: string;
  space: SearchSpace;
  genome: Genome;
  genomeHash: string;
  /** One-line description of the genome's blocks. */
  architecture: string;
  params: number;
  /** Multiply-adds of one forward pass. */
  flops: number;
  /** Candidate the genome was taken from, when it came from an experiment. */
  candidateId: string | null;
}

/**
 * Training recipe of a study's students. `proxy` trains on mini-train and scores on mini-val, as a
 * search scores candidates. `full` trains on the whole training split and scores on the test
 * split, as a final training does.
 */
export type StudyTraining =
  | {
      mode: 'proxy';
      proxy: ProxySettings;
      /** Hinton settings used when the cell distills from a teacher. */
      kd: HintonSettings;
    }
  | {
      mode: 'full';
      epochs: number;
      batchSize: number;
      /** Peak Adam learning rate, decayed by a cosine schedule. */
      learningRate: number;
      kd: HintonSettings;
    };

/** Options of the training of a study's students; omitted fields take the defaults of `mode`. */
export type StudyTrainingInput =
  | { mode?: 'proxy'; proxy?: Partial<ProxySettings>; kd?: Partial<HintonSettings> }
  | {
      mode: 'full';
      epochs?: number;
      batchSize?: number;
      learningRate?: number;
      kd?: Partial<HintonSettings>;
    };

/** How many cells of a study are in each status. */
export interface StudyCellCounts {
  total: number;
  pending: number;
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
}

/** A cell that has no result yet or failed, as listed in a study result. */
export interface StudyCellProblem {
  cellId: string;
  key: string;
  status: StudyStatusName;
  attempts: number;
  /** Last error of the cell, also for a pending cell that failed once and waits for its retry. */
  error: string | null;
}

// ---------------------------------------------------------------------------------------------
// Inputs of the create functions

/**
 * Split whose samples a similarity study compares the teachers on. `mini-train` and `mini-val` are
 * the stratified proxy subsets of the training split chosen by `proxy`.
 */
export type SimilaritySplit = 'train' | 'test' | 'mini-train' | 'mini-val';

/** Input of `createSimilarityStudy`. */
export interface SimilarityStudyInput {
  /** Default: `similarity of <teachers> on <split>`. */
  name?: string;
  /** At least two ready teachers of one dataset. */
  teacherIds: string[];
  /** Default `test`. */
  split?: SimilaritySplit;
  /** Adds the ground truth (label-smoothed one-hot labels) as a source. Default true. */
  includeGroundTruth?: boolean;
  /** Softmax temperature applied to every teacher. Default 1. */
  temperature?: number;
  /** Label smoothing ε of the ground truth. Default `DEFAULT_LABEL_SMOOTHING` of `@akd/analysis`. */
  labelSmoothing?: number;
  /** Proxy subsets for `mini-train` and `mini-val`. Default `PROXY_PRESETS.quick`, fitted to the dataset. */
  proxy?: Partial<ProxySettings>;
}

/**
 * Students of a ranking study. Every selector that is given adds students, and the union must have
 * at least two distinct architectures.
 */
export interface StudentSelectionInput {
  /** Explicit genomes, validated against `space`. */
  genomes?: Genome[];
  /** The `topK` completed candidates by reward of each experiment, in that experiment's space. */
  fromExperiments?: { experimentIds: string[]; topK: number };
  /** `count` genomes sampled from `space` with a seeded generator. */
  random?: { count: number; seed: number };
  /** Space of `genomes` and `random`. Default: the dataset's default search space. */
  space?: SearchSpace;
}

/** Input of `createRankingStudy`. */
export interface RankingStudyInput {
  /** Default: `ranking of <n> students under <teachers>`. */
  name?: string;
  /** At least two ready teachers of one dataset. */
  teacherIds: string[];
  /** Adds the ground truth (hard-label training) as a teacher column. Default true. */
  includeGroundTruth?: boolean;
  students: StudentSelectionInput;
  /** Number of training seeds (1, 2, …), or the explicit seeds. At least one. */
  seeds: number | number[];
  training?: StudyTrainingInput;
}

/** Search settings shared by the searches of an ablation study. */
export interface AblationSearchInput {
  /** Default `{ kind: 'policy-gradient' }`. */
  strategy?: StrategySpec;
  budget: number;
  generationSize: number;
  /** Default `PROXY_PRESETS.quick`. */
  proxy?: Partial<ProxySettings>;
  /** Hinton settings of the distillation search. Default λ = 0.5, τ = 2. */
  kd?: Partial<HintonSettings>;
  /** Default: the dataset's default search space. */
  space?: SearchSpace;
  /** Default 1. */
  seed?: number;
  /** Reward exponents. Default `rewardPresets.soft` of `@akd/search`. */
  reward?: { alpha: number; beta: number };
}

/** Final training of the best student of each search in an ablation study. */
export interface AblationFinalTrainingInput {
  epochs: number;
  /** Default `DEFAULT_FINAL_TRAINING.batchSize`. */
  batchSize?: number;
  /** Default `DEFAULT_FINAL_TRAINING.learningRate`. */
  learningRate?: number;
  /** Hinton settings of the distilled final training. Default λ = 0.9, τ = 4. */
  kd?: Partial<HintonSettings>;
  /** Seed of weights and batch order. Default: the search's proxy seed. */
  seed?: number;
}

/** Input of `createAblationStudy`. */
export interface AblationStudyInput {
  /** Default: `ablation of <teacher> at <targets> ms`. */
  name?: string;
  /** Ready teacher that the distillation searches and trainings use. */
  teacherId: string;
  /** One or more latency targets in milliseconds. */
  latencyTargetsMs: number[];
  search: AblationSearchInput;
  finalTraining: AblationFinalTrainingInput;
}

/** Input of `createKdFriendlinessStudy`. */
export interface KdFriendlinessStudyInput {
  /** Default: `KD-friendliness of <akd> vs <nas>`. */
  name?: string;
  /** Search that scored candidates by distillation; its teacher distills the students. */
  akdExperimentId: string;
  /** Conventional search on hard labels with the same dataset, space, target and proxy. */
  nasExperimentId: string;
  /** Generation indices (zero-based) present and completed in both searches. */
  generations: number[];
  /** Students taken per generation and search: the best by reward among that generation's candidates. */
  topK: number;
  /** Number of training seeds, or the explicit seeds. Default 1. */
  seeds?: number | number[];
  /** Default: proxy training with the AKD search's proxy and KD settings. */
  training?: StudyTrainingInput;
}

// ---------------------------------------------------------------------------------------------
// Stored configuration (Study.config)

/** Configuration of a similarity study. */
export interface SimilarityStudyConfig {
  kind: 'similarity';
  teachers: StudyTeacherRef[];
  includeGroundTruth: boolean;
  split: SimilaritySplit;
  /** Proxy subsets when `split` is mini-train or mini-val, else null. */
  proxy: ProxySettings | null;
  temperature: number;
  labelSmoothing: number | null;
}

/** Configuration of a ranking study. */
export interface RankingStudyConfig {
  kind: 'ranking';
  /** Teacher columns in order, GT last when included. */
  teachers: StudyTeacherRef[];
  students: StudyStudent[];
  seeds: number[];
  training: StudyTraining;
}

/** A search that an ablation study uses, either reused or created by the study. */
export interface AblationSearchRef {
  latencyTargetMs: number;
  searchBy: 'hard-label' | 'distillation';
  experimentId: string;
  /** True when the study found a matching search and did not create one. */
  reused: boolean;
}

/** Resolved final-training recipe of an ablation study. */
export interface AblationFinalTraining {
  epochs: number;
  batchSize: number;
  learningRate: number;
  kd: HintonSettings;
  seed: number;
}

/** Configuration of an ablation study. */
export interface AblationStudyConfig {
  kind: 'ablation';
  teacher: StudyTeacherRef;
  latencyTargetsMs: number[];
  search: {
    strategy: StrategySpec;
    budget: number;
    generationSize: number;
    proxy: ProxySettings;
    kd: HintonSettings;
    space: SearchSpace;
    seed: number;
    reward: { alpha: number; beta: number };
  };
  finalTraining: AblationFinalTraining;
  searches: AblationSearchRef[];
}

/** The students one search contributes to one generation of a KD-friendliness study. */
export interface KdFriendlinessMember {
  generation: number;
  search: 'akd' | 'nas';
  /** Keys of {@link KdFriendlinessStudyConfig.students}, best reward first. */
  students: string[];
}

/** Configuration of a KD-friendliness study. */
export interface KdFriendlinessStudyConfig {
  kind: 'kd-friendliness';
  akdExperimentId: string;
  nasExperimentId: string;
  /** The AKD search's teacher, which distills every student. */
  teacher: StudyTeacherRef;
  generations: number[];
  topK: number;
  seeds: number[];
  training: StudyTraining;
  /** Distinct student architectures over all generations and both searches. */
  students: StudyStudent[];
  members: KdFriendlinessMember[];
}

/** Configuration stored in Study.config, by kind. */
export type StudyConfig =
  SimilarityStudyConfig | RankingStudyConfig | AblationStudyConfig | KdFriendlinessStudyConfig;

// ---------------------------------------------------------------------------------------------
// Cells (StudyCell.config and StudyCell.result)

/** Cell configuration, by the work the cell does. */
export type StudyCellConfig =
  | { kind: 'similarity' }
  | {
      /** Trains one student from one teacher (or GT) with one seed. */
      kind: 'train';
      student: string;
      /** Teacher id, or {@link GROUND_TRUTH_KEY} for hard labels. */
      teacher: string;
      seed: number;
    }
  | {
      /** One entry of the ablation table. */
      kind: 'ablation';
      latencyTargetMs: number;
      searchBy: 'hard-label' | 'distillation';
      trainBy: 'hard-label' | 'distillation';
      experimentId: string;
    };

/** Result of a similarity cell: the pairwise statistics over the split's samples. */
export interface SimilarityCellResult {
  kind: 'similarity';
  /** Source names: teacher names, then GT when included. */
  names: string[];
  /** Source keys in the order of `names`: teacher ids, then GT. */
  keys: string[];
  /** Mean KL(p_i ‖ p_j) in nats over the samples, at `[i][j]`. */
  meanKl: number[][];
  /** Share of samples with the same top-1 class, at `[i][j]`. */
  agreement: number[][];
  samples: number;
  temperature: number;
  labelSmoothing: number | null;
}

/** Result of a training cell. */
export interface TrainCellResult {
  kind: 'train';
  /** Top-1 accuracy on mini-val (proxy training) or on the test split (full training). */
  accuracy: number;
  top5: number;
  /** Split the accuracy was measured on. */
  evaluatedOn: 'mini-val' | 'test';
  latencyMs: number;
  params: number;
  flops: number;
  trainMs: number;
  backend: string;
  /** Mean training loss per epoch. */
  epochLosses: number[];
}

/** Result of an ablation cell: the final training of the best student of one search. */
export interface AblationCellResult {
  kind: 'ablation';
  experimentId: string;
  candidateId: string;
  genomeHash: string;
  trainedModelId: string;
  /** True when the final training existed before this study asked for it. */
  reusedTrainedModel: boolean;
  /** Test top-1 and top-5 accuracy. */
  top1: number;
  top5: number;
  latencyMs: number | null;
  params: number | null;
  flops: number | null;
}

/** Result stored in StudyCell.result, by cell kind. */
export type StudyCellResult = SimilarityCellResult | TrainCellResult | AblationCellResult;

// ---------------------------------------------------------------------------------------------
// Assembled results (Study.result)

/** Fields every assembled study result has. */
export interface StudyResultBase {
  /** True when every cell completed, so every statistic is computed from full data. */
  complete: boolean;
  cells: StudyCellCounts;
  /** Cells without a result (pending, running, failed or cancelled), in cell-key order. */
  missing: StudyCellProblem[];
  /** ISO time the result was assembled. */
  assembledAt: string;
}

/** Result of a similarity study. */
export interface SimilarityStudyResult extends StudyResultBase {
  kind: 'similarity';
  split: SimilaritySplit;
  /** Null until the similarity cell completes. */
  similarity: SimilarityCellResult | null;
}

/** A student's accuracies over seeds under one teacher. */
export interface RankingMatrixEntry {
  student: string;
  teacher: string;
  /** Accuracy per seed, in the order of the study's seeds; null where the cell has no result. */
  accuracies: (number | null)[];
  /** Seeds with a result. */
  seeds: number;
  mean: number | null;
  /** Sample standard deviation over seeds (n − 1), null for fewer than two seeds. */
  standardDeviation: number | null;
  min: number | null;
  max: number | null;
}

/** A student's place under one teacher. */
export interface StudentRank {
  student: string;
  mean: number;
  /**
   * 1 + the number of students whose mean is higher by more than the seed spread. Students within
   * the spread of each other share ranks this way, so equal ranks mean "not told apart by these seeds".
   */
  rank: number;
  /** Average rank by mean accuracy alone (1 = best, exact ties averaged), as Kendall τ uses it. */
  rankByMean: number;
  /** Other students whose mean differs from this one's by no more than the seed spread. */
  tiedWith: string[];
}

/** Ranking of the students under one teacher. */
export interface TeacherRankingResult {
  teacher: string;
  /** True when every student has a result for every seed under this teacher. */
  complete: boolean;
  /** Students best first; null unless complete. */
  ranks: StudentRank[] | null;
  /** Students with the highest mean; null unless complete. */
  best: string[] | null;
  /** Students with rank 1: the best and those within the seed spread of it; null unless complete. */
  bestWithinSpread: string[] | null;
  /** Students whose Welch test against a best student does not reject equal means; null unless complete or with one seed. */
  withinNoiseOfBest: string[] | null;
}

/** Result of a ranking study. */
export interface RankingStudyResult extends StudyResultBase {
  kind: 'ranking';
  students: string[];
  /** Teacher keys (ids, then GT) in column order. */
  teachers: string[];
  /** Teacher names in column order. */
  teacherNames: string[];
  seeds: number[];
  /** `matrix[s][t]` is student s under teacher t. */
  matrix: RankingMatrixEntry[][];
  rankings: TeacherRankingResult[];
  /**
   * Kendall τ-b between the teachers' mean accuracies, at `[i][j]`. Null where either teacher is
   * incomplete or all its means are equal.
   */
  kendallTau: (number | null)[][];
  /** The rule that decides ties, in words, for readers of the result. */
  tieRule: string;
  /** Reason that ranks or τ are missing, or null when all are computed. */
  incompleteReason: string | null;
}

/** One entry of an ablation table. */
export interface AblationEntry {
  searchBy: 'hard-label' | 'distillation';
  trainBy: 'hard-label' | 'distillation';
  /** Test top-1 and top-5; null until the cell completes. */
  top1: number | null;
  top5: number | null;
  experimentId: string;
  trainedModelId: string | null;
  /** Status of the cell, with its error when failed. */
  status: StudyStatusName;
  error: string | null;
}

/** Result of an ablation study. */
export interface AblationStudyResult extends StudyResultBase {
  kind: 'ablation';
  /** One row per latency target, entries in the order hard/hard, hard/KD, KD/hard, KD/KD. */
  rows: { latencyTargetMs: number; entries: AblationEntry[] }[];
}

/** KD gain of one student in a KD-friendliness study. */
export interface KdFriendlinessStudent {
  student: string;
  /** Mean accuracy over seeds when distilled (KD) and when trained on hard labels (CLS). */
  distilledAccuracy: number | null;
  hardLabelAccuracy: number | null;
  /** distilledAccuracy − hardLabelAccuracy. */
  gain: number | null;
}

/** One generation of a KD-friendliness study. */
export interface KdFriendlinessGeneration {
  generation: number;
  akd: KdFriendlinessStudent[];
  nas: KdFriendlinessStudent[];
  /** Null until every student of both searches has both accuracies for every seed. */
  averageGain: number | null;
  winningRatio: number | null;
  wins: number | null;
  ties: number | null;
  comparisons: number | null;
}

/** Result of a KD-friendliness study. */
export interface KdFriendlinessStudyResult extends StudyResultBase {
  kind: 'kd-friendliness';
  generations: KdFriendlinessGeneration[];
}

/** Assembled result stored in Study.result, by kind. */
export type StudyResult =
  SimilarityStudyResult | RankingStudyResult | AblationStudyResult | KdFriendlinessStudyResult;

// ---------------------------------------------------------------------------------------------
// Reading studies

/** A study cell as the API and CLI show it. */
export interface StudyCellView {
  id: string;
  key: string;
  status: StudyStatusName;
  attempts: number;
  config: StudyCellConfig;
  result: StudyCellResult | null;
  error: string | null;
  updatedAt: Date;
}

/** A study with its decoded configuration and result. */
export interface StudyView {
  id: string;
  kind: StudyKindName;
  name: string;
  datasetId: string;
  status: StudyStatusName;
  config: StudyConfig;
  /** Assembled result, refreshed whenever a cell finishes; null before the first refresh. */
  result: StudyResult | null;
  cells: StudyCellCounts;
  createdAt: Date;
  updatedAt: Date;
}

/** Filter of `listStudies`. */
export interface ListStudiesOptions {
  kind?: StudyKindName;
  datasetId?: string;
  status?: StudyStatusName;
  /** Default 50. */
  limit?: number;
}

// ---------------------------------------------------------------------------------------------
// Running cells

/** Trains and scores a student on a proxy task; `ProxyTaskPool` is one. */
export interface ProxyEvaluator {
  evaluate(spec: ProxyTaskSpec, genome: Genome, seed?: number): Promise<ProxyResult>;
}

/**
 * Starter of the searches and final trainings that ablation cells wait for. The queue launcher
 * enqueues the job and returns at once. A local launcher may run the work to completion before it
 * returns, and then the cell continues in the same call.
 */
export interface StudyDependencyLauncher {
  startSearch(experimentId: string): Promise<void>;
  startFinalTraining(trainedModelId: string): Promise<void>;
  /**
   * True for a launcher that runs the work in this process. It is then also given paused
   * searches and work left running by a stopped process, which no other process would resume.
   */
  resumesInterrupted?: boolean;
}

/** Resources of `runStudyCell`. */
export interface StudyCellContext {
  prisma: PrismaClient;
  /** Trains the students of proxy-mode cells. */
  evaluator: ProxyEvaluator;
  /** Starts the dependencies of ablation cells. */
  launcher: StudyDependencyLauncher;
  /**
   * Attempts a cell may use. A cell that fails with attempts left goes back to pending with its
   * error recorded, and the caller retries it. The worker passes the job's maximum attempts.
   */
  maxAttempts: number;
  /** Loads datasets; defaults to `loadDatasetAt`. A worker passes its cache. */
  loadDataset?: (location: DatasetLocation) => Promise<ImageDataset>;
  /** Stops a full-mode training between steps. */
  signal?: AbortSignal;
}

/** Outcome of one call of `runStudyCell`. */
export type StudyCellOutcome =
  | { outcome: 'completed'; studyId: string; cellId: string; result: StudyCellResult }
  | { outcome: 'skipped'; studyId: string | null; cellId: string; reason: string }
  | { outcome: 'failed'; studyId: string; cellId: string; error: string; attempts: number }
  | {
      /** The attempt failed and the cell has attempts left: it is pending again and should be retried. */
      outcome: 'retry';
      studyId: string;
      cellId: string;
      error: string;
      attempts: number;
    }
  | {
      /** A dependency (search or final training) is not finished: run the cell again later. */
      outcome: 'waiting';
      studyId: string;
      cellId: string;
      reason: string;
      retryAfterSeconds: number;
    };
