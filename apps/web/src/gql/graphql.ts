/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> =
  T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Final training of the best student of each search. */
export type AblationFinalTrainingInput = {
  /** Default 64. */
  batchSize?: number | null | undefined;
  epochs: number;
  /** Hinton settings of the distilled trainings; default lambda 0.9, temperature 4. */
  kd?: StudyKdSettingsInput | null | undefined;
  /** Peak Adam learning rate; default 0.004. */
  learningRate?: number | null | undefined;
  /** Seed of weights and batch order; default the search's proxy seed. */
  seed?: number | null | undefined;
};

/** Settings shared by the searches of an ablation study. */
export type AblationSearchInput = {
  /** Distinct candidates each search evaluates. */
  budget: number;
  /** Candidates proposed per generation. */
  generationSize: number;
  /** Hinton settings of the distillation searches; default lambda 0.5, temperature 2. */
  kd?: StudyKdSettingsInput | null | undefined;
  proxy?: StudyProxySettingsInput | null | undefined;
  reward?: RewardInput | null | undefined;
  /** Seed of the searches; default 1. */
  seed?: number | null | undefined;
  /** Search space; by default the standard space of the dataset. */
  space?: unknown;
  strategy?: SearchStrategy;
  /** Options object of the strategy; its defaults otherwise. */
  strategyOptions?: unknown;
};

/** Where an accuracy was measured. TEST: test split, after the full training of a final model. PROXY: mini-val, after the short proxy training of the search. */
export type AccuracySource = 'PROXY' | 'TEST';

/** Sort order of candidates. Candidates without the sorted value (not yet scored) come last. */
export type CandidateOrder = 'ACCURACY_DESC' | 'CREATED_ASC' | 'LATENCY_ASC' | 'PARAMS_ASC' | 'REWARD_DESC';

/** Evaluation state of a candidate. */
export type CandidateStatus = 'COMPLETED' | 'FAILED' | 'PENDING' | 'TRAINING';

export type CreateAblationStudyInput = {
  finalTraining: AblationFinalTrainingInput;
  /** Latency targets in milliseconds; one row of the table each. */
  latencyTargetsMs: Array<number>;
  /** Label of the study (1-200 characters); by default one is built from the members. */
  name?: string | null | undefined;
  /** A matching search (same settings and target) is reused; otherwise one is created and queued. */
  search: AblationSearchInput;
  /** Ready teacher of the distillation searches and trainings. */
  teacherId: string | number;
};

export type CreateEnsembleTeacherInput = {
  datasetId: string | number;
  /** At least two distinct ready teachers of the same dataset. */
  memberIds: Array<string | number>;
  /** Teacher name, unique within the dataset (1-100 characters). */
  name: string;
};

export type CreateExperimentInput = {
  /** Distinct candidates to evaluate, from 1 to 5000. */
  budget?: number;
  datasetId: string | number;
  /** Candidates proposed per generation (at least 1). */
  generationSize?: number;
  kd?: KdSettingsInput | null | undefined;
  /** Backend whose latency the experiment optimizes, e.g. wasm. TABLE and FLOPS require the profile to be measured on it; unset accepts the profile's backend. Not allowed with MEASURED, which uses the backend of each training worker. */
  latencyBackend?: string | null | undefined;
  /** How candidate latency is obtained. MEASURED times each trained candidate on the worker that trains it. TABLE sums the per-layer latencies of latencyProfileId, and FLOPS applies its linear fit of latency against FLOPs; both predict without running the candidate. */
  latencyModel?: LatencyModel;
  /** Latency profile that TABLE and FLOPS predict from; required for them and unset for MEASURED. It must be measured at the dataset's input shape; for TABLE it must contain every layer configuration of the search space, for FLOPS it must have a FLOPs fit. */
  latencyProfileId?: string | number | null | undefined;
  /** Latency target T of the reward, in milliseconds; greater than 0. */
  latencyTargetMs: number;
  /** Label of the experiment (1-200 characters). */
  name: string;
  proxy?: ProxySettingsInput | null | undefined;
  reward?: RewardInput | null | undefined;
  searchBy?: SearchBy;
  /** Seed of the search (a signed 32-bit integer). */
  seed?: number;
  /** Search space; by default the standard space for the dataset input shape and classes. */
  space?: unknown;
  strategy?: SearchStrategy;
  /** Options object of the strategy; its defaults otherwise. */
  strategyOptions?: unknown;
  /** Ready teacher of the same dataset; required when searchBy is DISTILLATION, ignored otherwise. */
  teacherId?: string | number | null | undefined;
};

export type CreateKdFriendlinessStudyInput = {
  /** Search that scored candidates by distillation; its teacher distills the students. */
  akdExperimentId: string | number;
  /** Generation indices, from 0, completed in both searches. */
  generations: Array<number>;
  /** Label of the study (1-200 characters); by default one is built from the members. */
  name?: string | null | undefined;
  /** Hard-label search with the same dataset, search space, latency target and proxy settings. */
  nasExperimentId: string | number;
  /** Explicit training seeds, in place of seeds. */
  seedList?: Array<number> | null | undefined;
  /** Number of training seeds, used as seeds 1..n; default 1. Give seeds or seedList. */
  seeds?: number | null | undefined;
  /** Students per generation and search: the best by reward. */
  topK: number;
  /** By default proxy training with the proxy and KD settings of the AKD search. */
  training?: StudyTrainingInput | null | undefined;
};

export type CreateLatencyProfileInput = {
  /** Inference backend, e.g. wasm or webgl (1-50 characters). */
  backend: string;
  /** Device the latencies were measured on (1-200 characters). */
  device: string;
  /** Linear fit of latency against FLOPs (multiply-adds per image), for FLOPS experiments: { "slopeMsPerFlop": 2e-7, "interceptMs": 0.3, "r2": 0.95 }, all finite numbers. */
  flopsFit?: unknown;
  /** [height, width, channels] of the measured input, each at least 1. */
  inputShape: Array<number>;
  /** When the latencies were measured; now by default. */
  measuredAt?: string | null | undefined;
  /** Unique name (1-100 characters). */
  name: string;
  source?: LatencySource;
  /** Non-empty object from operation key to latency in milliseconds; each latency is a finite number >= 0. A TABLE experiment predicts a candidate latency as the sum of the entries of its layers, so the keys must be those the engine enumerates for the search space (for example "layer op=mbconv6 k=5 s=2 in=14x14x24 exp=144 out=40 se=6 skip=pool"). */
  table: unknown;
};

export type CreateRankingStudyInput = {
  /** Whether hard-label training joins as the GT column. */
  includeGroundTruth?: boolean;
  /** Label of the study (1-200 characters); by default one is built from the members. */
  name?: string | null | undefined;
  /** Explicit training seeds, in place of seeds. */
  seedList?: Array<number> | null | undefined;
  /** Number of training seeds, 1 to 20, used as seeds 1..n; default 3. Give seeds or seedList. */
  seeds?: number | null | undefined;
  students: StudentSelectionInput;
  /** At least two ready teachers of one dataset. */
  teacherIds: Array<string | number>;
  training?: StudyTrainingInput | null | undefined;
};

export type CreateSimilarityStudyInput = {
  /** Whether the labels join the comparison as the GT source, smoothed by labelSmoothing. */
  includeGroundTruth?: boolean;
  /** Label smoothing of GT, in (0, 1]; default 0.01. Only with includeGroundTruth. */
  labelSmoothing?: number | null | undefined;
  /** Label of the study (1-200 characters); by default one is built from the members. */
  name?: string | null | undefined;
  /** Subsets of the MINI_TRAIN and MINI_VAL splits; only with those splits. */
  proxy?: StudyProxySettingsInput | null | undefined;
  split?: SimilaritySplit;
  /** At least two ready teachers of one dataset. */
  teacherIds: Array<string | number>;
  /** Softmax temperature applied to every teacher's logits. */
  temperature?: number;
};

/** Training method of a final model. HARD_LABEL: cross-entropy on labels only. HINTON: temperature-softened teacher outputs. CC: correlation congruence. TA: distillation through a teacher assistant. RCO: route-constrained optimization along the teacher training checkpoints. */
export type DistillationMethod = 'CC' | 'HARD_LABEL' | 'HINTON' | 'RCO' | 'TA';

/** Conditions that every listed experiment meets. */
export type ExperimentFilterInput = {
  datasetId?: string | number | null | undefined;
  /** Any of these statuses. */
  status?: Array<ExperimentStatus> | null | undefined;
  teacherId?: string | number | null | undefined;
};

/** Lifecycle of an experiment. */
export type ExperimentStatus = 'CANCELLED' | 'COMPLETED' | 'FAILED' | 'PAUSED' | 'QUEUED' | 'RUNNING';

/** The best completed candidates by reward of each experiment. */
export type ExperimentStudentsInput = {
  experimentIds: Array<string | number>;
  /** Candidates per experiment. */
  topK: number;
};

/** Lifecycle of generations and trained models. */
export type JobStatus = 'CANCELLED' | 'COMPLETED' | 'FAILED' | 'PENDING' | 'RUNNING';

/** Hinton distillation settings of the proxy task. */
export type KdSettingsInput = {
  /** Weight of the distillation term, in [0, 1]. */
  lambda?: number;
  /** Softmax temperature, greater than 0 (typically 1 to 8). */
  temperature?: number;
};

/** How a candidate latency is obtained: lookup table, direct measurement, or a fit on FLOPs. */
export type LatencyModel = 'FLOPS' | 'MEASURED' | 'TABLE';

/** Where a latency profile was measured. */
export type LatencySource = 'BROWSER' | 'WORKER';

/** Proxy task settings; the defaults are the `quick` preset for CPU machines. */
export type ProxySettingsInput = {
  /** Images per batch (at least 1). */
  batchSize?: number;
  /** Proxy training epochs (at least 1). */
  epochs?: number;
  /** Peak Adam learning rate, between 0 and 1. */
  learningRate?: number;
  /** Seed of the split, initial weights and batch order. */
  seed?: number;
  /** Images in mini-train (at least 1). */
  trainSize?: number;
  /** Images in mini-val (at least 1). */
  valSize?: number;
};

/** Genomes sampled from the search space with a seeded generator. */
export type RandomStudentsInput = {
  count: number;
  seed?: number;
};

/** Exponents of the MnasNet reward ACC x (LAT/T)^w. The defaults are the soft preset, under which a model twice as slow as the target loses about 5% reward. */
export type RewardInput = {
  /** Exponent w when LAT <= T. */
  alpha?: number;
  /** Exponent w when LAT > T. */
  beta?: number;
};

/** Training signal that scores a candidate: distillation from the teacher, or hard labels only. */
export type SearchBy = 'DISTILLATION' | 'HARD_LABEL';

/** Algorithm that proposes candidate architectures. */
export type SearchStrategy = 'EVOLUTION' | 'POLICY_GRADIENT' | 'RANDOM';

/** Samples a similarity study compares the teachers on. MINI_TRAIN and MINI_VAL are the proxy-task subsets of the training split. */
export type SimilaritySplit = 'MINI_TRAIN' | 'MINI_VAL' | 'TEST' | 'TRAIN';

/** Students of a study. Every selector given adds students; together they need two distinct architectures. */
export type StudentSelectionInput = {
  fromExperiments?: ExperimentStudentsInput | null | undefined;
  /** Explicit genomes, checked against space. */
  genomes?: Array<unknown> | null | undefined;
  random?: RandomStudentsInput | null | undefined;
  /** Search space of genomes and random; by default the standard space of the dataset. */
  space?: unknown;
};

/** Hinton distillation settings; fields left out take the defaults of the context. */
export type StudyKdSettingsInput = {
  /** Weight of the distillation term, in [0, 1]. */
  lambda?: number | null | undefined;
  /** Softmax temperature, greater than 0. */
  temperature?: number | null | undefined;
};

/** SIMILARITY: KL divergence and top-1 agreement between teachers. RANKING: students trained from every teacher with several seeds. ABLATION: search signal x training signal per latency target. KD_FRIENDLINESS: KD gain of the students of a distillation search against those of a hard-label search. */
export type StudyKind = 'ABLATION' | 'KD_FRIENDLINESS' | 'RANKING' | 'SIMILARITY';

/** Proxy task settings; each field left out takes the quick preset, fitted to the dataset size. */
export type StudyProxySettingsInput = {
  batchSize?: number | null | undefined;
  epochs?: number | null | undefined;
  /** Peak Adam learning rate. */
  learningRate?: number | null | undefined;
  /** Seed of the split, the initial weights and the batch order. */
  seed?: number | null | undefined;
  /** Images in mini-train. */
  trainSize?: number | null | undefined;
  /** Images in mini-val. */
  valSize?: number | null | undefined;
};

/** How a study trains its students. PROXY (default) uses proxy and kd (default lambda 0.5, temperature 2). FULL uses epochs (default 5), batchSize (64), learningRate (0.004) and kd (default lambda 0.9, temperature 4). */
export type StudyTrainingInput = {
  /** FULL mode only. */
  batchSize?: number | null | undefined;
  /** FULL mode only. */
  epochs?: number | null | undefined;
  kd?: StudyKdSettingsInput | null | undefined;
  /** FULL mode only: peak Adam learning rate. */
  learningRate?: number | null | undefined;
  mode?: StudyTrainingMode;
  /** PROXY mode only. */
  proxy?: StudyProxySettingsInput | null | undefined;
};

/** PROXY: train on mini-train and score on mini-val, as the search scores candidates. FULL: train on the whole training split and score on the test split, as a final training does. */
export type StudyTrainingMode = 'FULL' | 'PROXY';

/** How a teacher came to be: trained from the zoo, imported, or an ensemble of teachers. */
export type TeacherSource = 'ENSEMBLE' | 'IMPORTED_LOGITS' | 'IMPORTED_MODEL' | 'ZOO';

/** Training state of a teacher. */
export type TeacherStatus = 'FAILED' | 'PENDING' | 'READY' | 'TRAINING';

/** Training recipe of a zoo teacher. */
export type TeacherTrainingInput = {
  /** Images per batch (1-4096). */
  batchSize?: number;
  /** Epochs over the training split (1-500). */
  epochs?: number;
  /** Peak Adam learning rate, decayed by a cosine schedule; between 0 and 1. */
  learningRate?: number;
  /** Seed of the initial weights and batch order. */
  seed?: number;
};

export type TrainTeacherInput = {
  architecture: ZooArchitecture;
  datasetId: string | number;
  /** Teacher name, unique within the dataset (1-100 characters); the architecture name by default. */
  name?: string | null | undefined;
  /** Training recipe; each field has a default. */
  training?: TeacherTrainingInput | null | undefined;
};

/** RESNET: residual blocks. VGG: plain stacked convolutions. MOBILENETV2: inverted residual blocks. DENSENET: densely connected blocks. INCEPTION: parallel multi-branch modules. WIDE_SHALLOW: few wide layers with large kernels. */
export type ZooArchitecture = 'DENSENET' | 'INCEPTION' | 'MOBILENETV2' | 'RESNET' | 'VGG' | 'WIDE_SHALLOW';

export type NewExperimentQueryVariables = Exact<{ [key: string]: never }>;

export type NewExperimentQuery = {
  datasets: Array<{
    id: string;
    name: string;
    trainCount: number;
    numClasses: number;
    inputHeight: number;
    inputWidth: number;
    inputChannels: number;
  }>;
  teachers: Array<{
    id: string;
    name: string;
    family: string;
    status: TeacherStatus;
    datasetId: string;
    testAccuracy: number | null;
  }>;
  latencyProfiles: Array<{
    id: string;
    name: string;
    backend: string;
    inputShape: Array<number>;
    flopsFit: unknown;
  }>;
};

export type ExperimentsQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  filter?: ExperimentFilterInput | null | undefined;
}>;

export type ExperimentsQuery = {
  experiments: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{
      node: {
        id: string;
        name: string;
        status: ExperimentStatus;
        searchBy: SearchBy;
        strategy: SearchStrategy;
        latencyTargetMs: number;
        createdAt: string;
        dataset: { name: string };
        teacher: { id: string; name: string } | null;
        progress: { budget: number; completed: number; failed: number };
        bestCandidates: Array<{ id: string; proxyAccuracy: number | null; latencyMs: number | null }>;
      };
    }>;
  };
};

export type MeasureSpacesQueryVariables = Exact<{ [key: string]: never }>;

export type MeasureSpacesQuery = {
  datasets: Array<{
    id: string;
    name: string;
    inputHeight: number;
    inputWidth: number;
    inputChannels: number;
    numClasses: number;
  }>;
  experiments: {
    edges: Array<{ node: { id: string; name: string; datasetId: string; searchSpace: unknown } }>;
  };
};

export type LatencyProfilesQueryVariables = Exact<{ [key: string]: never }>;

export type LatencyProfilesQuery = {
  latencyProfiles: Array<{
    id: string;
    name: string;
    device: string;
    backend: string;
    source: LatencySource;
    inputShape: Array<number>;
    measuredAt: string;
    flopsFit: unknown;
    table: unknown;
  }>;
};

export type LeaderboardDatasetsQueryVariables = Exact<{ [key: string]: never }>;

export type LeaderboardDatasetsQuery = { datasets: Array<{ id: string; name: string }> };

export type TeacherLeaderboardsQueryVariables = Exact<{
  datasetId: string | number;
  bucketsMs: Array<number> | number;
  perBucket: number;
}>;

export type TeacherLeaderboardsQuery = {
  teacherLeaderboards: Array<{
    teacherName: string;
    teacherTestAccuracy: number | null;
    teacher: { id: string } | null;
    buckets: Array<{
      minLatencyMs: number;
      maxLatencyMs: number;
      candidates: number;
      entries: Array<{
        rank: number;
        accuracy: number;
        accuracySource: AccuracySource;
        proxyAccuracy: number;
        testAccuracy: number | null;
        trainedModelId: string | null;
        latencyMs: number;
        params: string;
        flops: string;
        gain: number | null;
        gainSource: AccuracySource | null;
        hardLabelAccuracy: number | null;
        teacherAccuracyRetained: number | null;
        experimentId: string;
        candidate: { id: string; architecture: string | null };
      }>;
    }>;
  }>;
};

export type ModelQueryVariables = Exact<{
  id: string | number;
}>;

export type ModelQuery = {
  trainedModel: {
    id: string;
    candidateId: string | null;
    experimentId: string | null;
    teacherId: string | null;
    method: DistillationMethod;
    epochs: number;
    status: JobStatus;
    error: string | null;
    testTop1: number | null;
    testTop5: number | null;
    latencyMs: number | null;
    params: string | null;
    flops: string | null;
    settings: unknown;
    downloadable: boolean;
    createdAt: string;
    updatedAt: string;
  } | null;
};

export type ModelLineageQueryVariables = Exact<{
  experimentId: string | number;
}>;

export type ModelLineageQuery = {
  experiment: {
    id: string;
    name: string;
    searchBy: SearchBy;
    strategy: SearchStrategy;
    latencyModel: LatencyModel;
    latencyTargetMs: number;
    searchSpace: unknown;
    dataset: { id: string; name: string };
    teacher: { id: string; name: string; testAccuracy: number | null } | null;
    proxySettings: { trainSize: number; valSize: number; epochs: number };
    kdSettings: { lambda: number; temperature: number };
    bestCandidates: Array<{
      id: string;
      genome: unknown;
      architecture: string | null;
      proxyAccuracy: number | null;
      latencyMs: number | null;
    }>;
  } | null;
};

export type ModelsQueryVariables = Exact<{
  after?: string | null | undefined;
}>;

export type ModelsQuery = {
  experiments: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{
      node: {
        id: string;
        name: string;
        dataset: { name: string };
        teacher: { id: string; name: string } | null;
        trainedModels: Array<{
          id: string;
          method: DistillationMethod;
          epochs: number;
          status: JobStatus;
          testTop1: number | null;
          testTop5: number | null;
          latencyMs: number | null;
          params: string | null;
          downloadable: boolean;
          createdAt: string;
        }>;
      };
    }>;
  };
};

export type OverviewQueryVariables = Exact<{ [key: string]: never }>;

export type OverviewQuery = {
  experiments: {
    totalCount: number;
    edges: Array<{
      node: {
        id: string;
        name: string;
        status: ExperimentStatus;
        searchBy: SearchBy;
        strategy: SearchStrategy;
        latencyTargetMs: number;
        createdAt: string;
        dataset: { id: string; name: string };
        teacher: { id: string; name: string } | null;
        progress: { budget: number; completed: number; failed: number; inProgress: number };
        bestCandidates: Array<{
          id: string;
          proxyAccuracy: number | null;
          latencyMs: number | null;
          reward: number | null;
        }>;
      };
    }>;
  };
  teachers: Array<{
    id: string;
    name: string;
    family: string;
    source: TeacherSource;
    status: TeacherStatus;
    testAccuracy: number | null;
    params: string | null;
    dataset: { id: string; name: string };
  }>;
  workers: Array<{
    id: string;
    host: string;
    pid: number;
    backend: string;
    alive: boolean;
    heartbeatAt: string;
    currentJob: unknown;
  }>;
};

export type RoleProbeQueryVariables = Exact<{ [key: string]: never }>;

export type RoleProbeQuery = { apiTokens: Array<{ id: string }> };

export type TeacherPageQueryVariables = Exact<{
  id: string | number;
}>;

export type TeacherPageQuery = {
  teacher: {
    id: string;
    name: string;
    family: string;
    source: TeacherSource;
    status: TeacherStatus;
    error: string | null;
    testAccuracy: number | null;
    testTop5: number | null;
    params: string | null;
    flops: string | null;
    config: unknown;
    trainingSettings: unknown;
    downloadable: boolean;
    createdAt: string;
    dataset: { id: string; name: string };
    members: Array<{ id: string; name: string; testAccuracy: number | null }>;
  } | null;
  experiments: {
    totalCount: number;
    edges: Array<{
      node: {
        id: string;
        name: string;
        status: ExperimentStatus;
        latencyTargetMs: number;
        bestCandidates: Array<{ proxyAccuracy: number | null; latencyMs: number | null }>;
      };
    }>;
  };
};

export type CompareDatasetsQueryVariables = Exact<{ [key: string]: never }>;

export type CompareDatasetsQuery = { datasets: Array<{ id: string; name: string }> };

export type TeacherComparisonQueryVariables = Exact<{
  datasetId: string | number;
  latencyTargetMs: number;
}>;

export type TeacherComparisonQuery = {
  teachers: Array<{
    id: string;
    name: string;
    family: string;
    status: TeacherStatus;
    testAccuracy: number | null;
    params: string | null;
    flops: string | null;
  }>;
  teacherAdvice: Array<{
    teacherName: string;
    rank: number | null;
    candidates: number;
    candidatesUnderTarget: number;
    bestAccuracy: number | null;
    teacher: { id: string; testAccuracy: number | null } | null;
    best: { id: string; experimentId: string; architecture: string | null; latencyMs: number | null } | null;
  }>;
  studies: {
    edges: Array<{
      node:
        | { id: string; name: string; status: JobStatus; createdAt: string }
        | { id: string; name: string; status: JobStatus; createdAt: string }
        | { id: string; name: string; status: JobStatus; createdAt: string }
        | {
            split: SimilaritySplit;
            temperature: number;
            id: string;
            name: string;
            status: JobStatus;
            createdAt: string;
            similarity: {
              names: Array<string>;
              meanKl: Array<Array<number>>;
              agreement: Array<Array<number>>;
              samples: number;
            } | null;
          };
    }>;
  };
};

export type WorkersQueryVariables = Exact<{ [key: string]: never }>;

export type WorkersQuery = {
  workers: Array<{
    id: string;
    host: string;
    pid: number;
    backend: string;
    alive: boolean;
    heartbeatAt: string;
    startedAt: string;
    currentJob: unknown;
  }>;
};

export type CreateExperimentMutationVariables = Exact<{
  input: CreateExperimentInput;
}>;

export type CreateExperimentMutation = { createExperiment: { id: string } };

export type CandidateRowFragment = {
  id: string;
  generation: number;
  status: CandidateStatus;
  architecture: string | null;
  proxyAccuracy: number | null;
  proxyTop5: number | null;
  latencyMs: number | null;
  params: string;
  flops: string;
  reward: number | null;
  trainMs: number | null;
  host: string | null;
  backend: string | null;
  error: string | null;
};

export type TrainedModelRowFragment = {
  id: string;
  candidateId: string | null;
  method: DistillationMethod;
  epochs: number;
  status: JobStatus;
  error: string | null;
  testTop1: number | null;
  testTop5: number | null;
  latencyMs: number | null;
  params: string | null;
  downloadable: boolean;
  createdAt: string;
};

export type ExperimentSummaryFragment = {
  id: string;
  status: ExperimentStatus;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
  progress: { budget: number; completed: number; failed: number; inProgress: number };
};

export type ExperimentLiveFragment = {
  id: string;
  status: ExperimentStatus;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
  generations: Array<{
    index: number;
    status: JobStatus;
    rewardMax: number | null;
    rewardMean: number | null;
    rewardMin: number | null;
    accuracyMean: number | null;
    entropy: number | null;
  }>;
  paretoFront: Array<{
    id: string;
    generation: number;
    proxyAccuracy: number | null;
    latencyMs: number | null;
    reward: number | null;
    architecture: string | null;
  }>;
  bestCandidates: Array<{
    id: string;
    genome: unknown;
    architecture: string | null;
    proxyAccuracy: number | null;
    proxyTop5: number | null;
    latencyMs: number | null;
    reward: number | null;
    params: string;
    flops: string;
  }>;
  trainedModels: Array<{
    id: string;
    candidateId: string | null;
    method: DistillationMethod;
    epochs: number;
    status: JobStatus;
    error: string | null;
    testTop1: number | null;
    testTop5: number | null;
    latencyMs: number | null;
    params: string | null;
    downloadable: boolean;
    createdAt: string;
  }>;
  progress: { budget: number; completed: number; failed: number; inProgress: number };
};

export type ExperimentPageQueryVariables = Exact<{
  id: string | number;
  first: number;
  orderBy: CandidateOrder;
}>;

export type ExperimentPageQuery = {
  experiment: {
    name: string;
    createdAt: string;
    budget: number;
    generationSize: number;
    searchBy: SearchBy;
    strategy: SearchStrategy;
    strategyOptions: unknown;
    latencyModel: LatencyModel;
    latencyTargetMs: number;
    rewardAlpha: number;
    rewardBeta: number;
    seed: number;
    searchSpace: unknown;
    id: string;
    status: ExperimentStatus;
    error: string | null;
    startedAt: string | null;
    finishedAt: string | null;
    updatedAt: string;
    dataset: { id: string; name: string; trainCount: number };
    teacher: { id: string; name: string; family: string; testAccuracy: number | null } | null;
    kdSettings: { lambda: number; temperature: number };
    proxySettings: {
      trainSize: number;
      valSize: number;
      epochs: number;
      batchSize: number;
      learningRate: number;
      seed: number;
    };
    candidates: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: Array<{
        node: {
          id: string;
          generation: number;
          status: CandidateStatus;
          architecture: string | null;
          proxyAccuracy: number | null;
          proxyTop5: number | null;
          latencyMs: number | null;
          params: string;
          flops: string;
          reward: number | null;
          trainMs: number | null;
          host: string | null;
          backend: string | null;
          error: string | null;
        };
      }>;
    };
    generations: Array<{
      index: number;
      status: JobStatus;
      rewardMax: number | null;
      rewardMean: number | null;
      rewardMin: number | null;
      accuracyMean: number | null;
      entropy: number | null;
    }>;
    paretoFront: Array<{
      id: string;
      generation: number;
      proxyAccuracy: number | null;
      latencyMs: number | null;
      reward: number | null;
      architecture: string | null;
    }>;
    bestCandidates: Array<{
      id: string;
      genome: unknown;
      architecture: string | null;
      proxyAccuracy: number | null;
      proxyTop5: number | null;
      latencyMs: number | null;
      reward: number | null;
      params: string;
      flops: string;
    }>;
    trainedModels: Array<{
      id: string;
      candidateId: string | null;
      method: DistillationMethod;
      epochs: number;
      status: JobStatus;
      error: string | null;
      testTop1: number | null;
      testTop5: number | null;
      latencyMs: number | null;
      params: string | null;
      downloadable: boolean;
      createdAt: string;
    }>;
    progress: { budget: number; completed: number; failed: number; inProgress: number };
  } | null;
};

export type ExperimentLiveDataQueryVariables = Exact<{
  id: string | number;
}>;

export type ExperimentLiveDataQuery = {
  experiment: {
    id: string;
    status: ExperimentStatus;
    error: string | null;
    startedAt: string | null;
    finishedAt: string | null;
    updatedAt: string;
    generations: Array<{
      index: number;
      status: JobStatus;
      rewardMax: number | null;
      rewardMean: number | null;
      rewardMin: number | null;
      accuracyMean: number | null;
      entropy: number | null;
    }>;
    paretoFront: Array<{
      id: string;
      generation: number;
      proxyAccuracy: number | null;
      latencyMs: number | null;
      reward: number | null;
      architecture: string | null;
    }>;
    bestCandidates: Array<{
      id: string;
      genome: unknown;
      architecture: string | null;
      proxyAccuracy: number | null;
      proxyTop5: number | null;
      latencyMs: number | null;
      reward: number | null;
      params: string;
      flops: string;
    }>;
    trainedModels: Array<{
      id: string;
      candidateId: string | null;
      method: DistillationMethod;
      epochs: number;
      status: JobStatus;
      error: string | null;
      testTop1: number | null;
      testTop5: number | null;
      latencyMs: number | null;
      params: string | null;
      downloadable: boolean;
      createdAt: string;
    }>;
    progress: { budget: number; completed: number; failed: number; inProgress: number };
  } | null;
};

export type CandidatesPageQueryVariables = Exact<{
  id: string | number;
  first: number;
  after?: string | null | undefined;
  orderBy: CandidateOrder;
  status?: CandidateStatus | null | undefined;
}>;

export type CandidatesPageQuery = {
  experiment: {
    id: string;
    candidates: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: Array<{
        node: {
          id: string;
          generation: number;
          status: CandidateStatus;
          architecture: string | null;
          proxyAccuracy: number | null;
          proxyTop5: number | null;
          latencyMs: number | null;
          params: string;
          flops: string;
          reward: number | null;
          trainMs: number | null;
          host: string | null;
          backend: string | null;
          error: string | null;
        };
      }>;
    };
  } | null;
};

export type CandidatePointsQueryVariables = Exact<{
  id: string | number;
  after?: string | null | undefined;
}>;

export type CandidatePointsQuery = {
  experiment: {
    id: string;
    candidates: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: Array<{
        node: { id: string; generation: number; proxyAccuracy: number | null; latencyMs: number | null };
      }>;
    };
  } | null;
};

export type ExperimentUpdatedSubscriptionVariables = Exact<{
  id: string | number;
}>;

export type ExperimentUpdatedSubscription = {
  experimentUpdated: {
    id: string;
    status: ExperimentStatus;
    error: string | null;
    startedAt: string | null;
    finishedAt: string | null;
    updatedAt: string;
    progress: { budget: number; completed: number; failed: number; inProgress: number };
  };
};

export type CandidateFinishedSubscriptionVariables = Exact<{
  experimentId: string | number;
}>;

export type CandidateFinishedSubscription = {
  candidateFinished: {
    id: string;
    generation: number;
    status: CandidateStatus;
    architecture: string | null;
    proxyAccuracy: number | null;
    proxyTop5: number | null;
    latencyMs: number | null;
    params: string;
    flops: string;
    reward: number | null;
    trainMs: number | null;
    host: string | null;
    backend: string | null;
    error: string | null;
  };
};

export type PauseExperimentMutationVariables = Exact<{
  id: string | number;
}>;

export type PauseExperimentMutation = {
  pauseExperiment: {
    id: string;
    status: ExperimentStatus;
    error: string | null;
    startedAt: string | null;
    finishedAt: string | null;
    updatedAt: string;
    progress: { budget: number; completed: number; failed: number; inProgress: number };
  };
};

export type ResumeExperimentMutationVariables = Exact<{
  id: string | number;
}>;

export type ResumeExperimentMutation = {
  resumeExperiment: {
    id: string;
    status: ExperimentStatus;
    error: string | null;
    startedAt: string | null;
    finishedAt: string | null;
    updatedAt: string;
    progress: { budget: number; completed: number; failed: number; inProgress: number };
  };
};

export type CancelExperimentMutationVariables = Exact<{
  id: string | number;
}>;

export type CancelExperimentMutation = {
  cancelExperiment: {
    id: string;
    status: ExperimentStatus;
    error: string | null;
    startedAt: string | null;
    finishedAt: string | null;
    updatedAt: string;
    progress: { budget: number; completed: number; failed: number; inProgress: number };
  };
};

export type StartExperimentMutationVariables = Exact<{
  id: string | number;
}>;

export type StartExperimentMutation = {
  startExperiment: {
    id: string;
    status: ExperimentStatus;
    error: string | null;
    startedAt: string | null;
    finishedAt: string | null;
    updatedAt: string;
    progress: { budget: number; completed: number; failed: number; inProgress: number };
  };
};

export type DeleteExperimentMutationVariables = Exact<{
  id: string | number;
}>;

export type DeleteExperimentMutation = { deleteExperiment: { id: string } };

export type TrainFinalModelsMutationVariables = Exact<{
  experimentId: string | number;
  topK: number;
  epochs: number;
  method: DistillationMethod;
}>;

export type TrainFinalModelsMutation = {
  trainFinalModels: Array<{
    id: string;
    candidateId: string | null;
    method: DistillationMethod;
    epochs: number;
    status: JobStatus;
    error: string | null;
    testTop1: number | null;
    testTop5: number | null;
    latencyMs: number | null;
    params: string | null;
    downloadable: boolean;
    createdAt: string;
  }>;
};

export type ExperimentStructureQueryVariables = Exact<{
  id: string | number;
}>;

export type ExperimentStructureQuery = {
  experiment: {
    id: string;
    structure: {
      candidateCount: number;
      pcaUnavailableReason: string | null;
      pca: {
        components: Array<{
          index: number;
          explainedVarianceRatio: number;
          topLoadings: Array<{ label: string; weight: number }>;
        }>;
        points: Array<{
          candidateId: string;
          generation: number;
          x: number;
          y: number;
          accuracy: number | null;
        }>;
      } | null;
      distributions: Array<{
        generation: number;
        genomes: number;
        ops: Array<{ value: string; share: number }>;
      }>;
      latencyVersusFlops: {
        unavailableReason: string | null;
        fit: { slopeMsPerFlop: number; interceptMs: number; rSquared: number | null; n: number } | null;
        points: Array<{ flops: string; latencyMs: number }>;
      };
    };
    proxyFidelity: {
      n: number;
      spearman: number | null;
      unavailableReason: string | null;
      pairs: Array<{ candidateId: string; proxyAccuracy: number; testAccuracy: number; epochs: number }>;
    };
  } | null;
};

export type CreateLatencyProfileMutationVariables = Exact<{
  input: CreateLatencyProfileInput;
}>;

export type CreateLatencyProfileMutation = { createLatencyProfile: { id: string; name: string } };

export type StudiesQueryVariables = Exact<{
  after?: string | null | undefined;
  kind?: StudyKind | null | undefined;
}>;

export type StudiesQuery = {
  studies: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{
      node:
        | {
            id: string;
            name: string;
            kind: StudyKind;
            status: JobStatus;
            complete: boolean;
            createdAt: string;
            dataset: { name: string };
            progress: { total: number; completed: number; failed: number };
          }
        | {
            id: string;
            name: string;
            kind: StudyKind;
            status: JobStatus;
            complete: boolean;
            createdAt: string;
            dataset: { name: string };
            progress: { total: number; completed: number; failed: number };
          }
        | {
            id: string;
            name: string;
            kind: StudyKind;
            status: JobStatus;
            complete: boolean;
            createdAt: string;
            dataset: { name: string };
            progress: { total: number; completed: number; failed: number };
          }
        | {
            id: string;
            name: string;
            kind: StudyKind;
            status: JobStatus;
            complete: boolean;
            createdAt: string;
            dataset: { name: string };
            progress: { total: number; completed: number; failed: number };
          };
    }>;
  };
  teachers: Array<{ id: string; name: string; status: TeacherStatus; datasetId: string }>;
  experiments: {
    edges: Array<{
      node: { id: string; name: string; status: ExperimentStatus; searchBy: SearchBy; datasetId: string };
    }>;
  };
};

export type StudyQueryVariables = Exact<{
  id: string | number;
}>;

export type StudyQuery = {
  study:
    | {
        latencyTargetsMs: Array<number>;
        id: string;
        name: string;
        kind: StudyKind;
        status: JobStatus;
        complete: boolean;
        createdAt: string;
        assembledAt: string | null;
        teacher: { name: string; teacherId: string | null };
        rows: Array<{
          latencyTargetMs: number;
          entries: Array<{
            searchBy: SearchBy;
            trainBy: SearchBy;
            status: JobStatus;
            top1: number | null;
            top5: number | null;
            error: string | null;
            experimentId: string;
            trainedModelId: string | null;
          }>;
        }>;
        dataset: { id: string; name: string };
        progress: {
          total: number;
          completed: number;
          failed: number;
          pending: number;
          running: number;
          cancelled: number;
        };
        missingCells: Array<{
          cellId: string;
          key: string;
          status: JobStatus;
          error: string | null;
          attempts: number;
        }>;
      }
    | {
        akdExperimentId: string;
        nasExperimentId: string;
        topK: number;
        id: string;
        name: string;
        kind: StudyKind;
        status: JobStatus;
        complete: boolean;
        createdAt: string;
        assembledAt: string | null;
        generationResults: Array<{
          generation: number;
          winningRatio: number | null;
          averageGain: number | null;
          wins: number | null;
          ties: number | null;
          comparisons: number | null;
          akd: Array<{ student: string; gain: number | null }>;
          nas: Array<{ student: string; gain: number | null }>;
        }>;
        dataset: { id: string; name: string };
        progress: {
          total: number;
          completed: number;
          failed: number;
          pending: number;
          running: number;
          cancelled: number;
        };
        missingCells: Array<{
          cellId: string;
          key: string;
          status: JobStatus;
          error: string | null;
          attempts: number;
        }>;
      }
    | {
        seeds: Array<number>;
        incompleteReason: string | null;
        tieRule: string | null;
        id: string;
        name: string;
        kind: StudyKind;
        status: JobStatus;
        complete: boolean;
        createdAt: string;
        assembledAt: string | null;
        teachers: Array<{ key: string; name: string; teacherId: string | null; testAccuracy: number | null }>;
        students: Array<{ key: string; label: string; architecture: string; params: string; flops: string }>;
        matrix: Array<{
          teacher: string;
          student: string;
          mean: number | null;
          standardDeviation: number | null;
          seeds: number;
        }>;
        rankings: Array<{
          teacher: string;
          teacherName: string;
          complete: boolean;
          withinNoiseOfBest: Array<string> | null;
          bestWithinSpread: Array<string> | null;
          ranks: Array<{ student: string; rank: number; mean: number; tiedWith: Array<string> }> | null;
        }>;
        kendallTau: Array<{ teacherA: string; teacherB: string; tau: number | null }>;
        dataset: { id: string; name: string };
        progress: {
          total: number;
          completed: number;
          failed: number;
          pending: number;
          running: number;
          cancelled: number;
        };
        missingCells: Array<{
          cellId: string;
          key: string;
          status: JobStatus;
          error: string | null;
          attempts: number;
        }>;
      }
    | {
        split: SimilaritySplit;
        temperature: number;
        id: string;
        name: string;
        kind: StudyKind;
        status: JobStatus;
        complete: boolean;
        createdAt: string;
        assembledAt: string | null;
        similarity: {
          names: Array<string>;
          meanKl: Array<Array<number>>;
          agreement: Array<Array<number>>;
          samples: number;
        } | null;
        dataset: { id: string; name: string };
        progress: {
          total: number;
          completed: number;
          failed: number;
          pending: number;
          running: number;
          cancelled: number;
        };
        missingCells: Array<{
          cellId: string;
          key: string;
          status: JobStatus;
          error: string | null;
          attempts: number;
        }>;
      }
    | null;
};

export type CancelStudyMutationVariables = Exact<{
  id: string | number;
}>;

export type CancelStudyMutation = {
  cancelStudy:
    | { id: string; status: JobStatus }
    | { id: string; status: JobStatus }
    | { id: string; status: JobStatus }
    | { id: string; status: JobStatus };
};

export type CreateRankingStudyMutationVariables = Exact<{
  input: CreateRankingStudyInput;
}>;

export type CreateRankingStudyMutation = {
  createRankingStudy: { id: string } | { id: string } | { id: string } | { id: string };
};

export type CreateAblationStudyMutationVariables = Exact<{
  input: CreateAblationStudyInput;
}>;

export type CreateAblationStudyMutation = {
  createAblationStudy: { id: string } | { id: string } | { id: string } | { id: string };
};

export type CreateKdFriendlinessStudyMutationVariables = Exact<{
  input: CreateKdFriendlinessStudyInput;
}>;

export type CreateKdFriendlinessStudyMutation = {
  createKdFriendlinessStudy: { id: string } | { id: string } | { id: string } | { id: string };
};

export type TeacherRowFragment = {
  id: string;
  name: string;
  family: string;
  source: TeacherSource;
  status: TeacherStatus;
  error: string | null;
  testAccuracy: number | null;
  testTop5: number | null;
  params: string | null;
  flops: string | null;
  downloadable: boolean;
  datasetId: string;
  members: Array<{ id: string; name: string }>;
};

export type TeachersPageQueryVariables = Exact<{
  datasetId?: string | number | null | undefined;
}>;

export type TeachersPageQuery = {
  datasets: Array<{ id: string; name: string }>;
  teachers: Array<{
    id: string;
    name: string;
    family: string;
    source: TeacherSource;
    status: TeacherStatus;
    error: string | null;
    testAccuracy: number | null;
    testTop5: number | null;
    params: string | null;
    flops: string | null;
    downloadable: boolean;
    datasetId: string;
    members: Array<{ id: string; name: string }>;
  }>;
};

export type TrainTeacherMutationVariables = Exact<{
  input: TrainTeacherInput;
}>;

export type TrainTeacherMutation = { trainTeacher: { id: string } };

export type CreateEnsembleTeacherMutationVariables = Exact<{
  input: CreateEnsembleTeacherInput;
}>;

export type CreateEnsembleTeacherMutation = { createEnsembleTeacher: { id: string } };

export type CreateSimilarityStudyMutationVariables = Exact<{
  input: CreateSimilarityStudyInput;
}>;

export type CreateSimilarityStudyMutation = {
  createSimilarityStudy: { id: string } | { id: string } | { id: string } | { id: string };
};

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const CandidateRowFragmentDoc = new TypedDocumentString(
  `
    fragment CandidateRow on Candidate {
  id
  generation
  status
  architecture
  proxyAccuracy
  proxyTop5
  latencyMs
  params
  flops
  reward
  trainMs
  host
  backend
  error
}
    `,
  { fragmentName: 'CandidateRow' },
) as unknown as TypedDocumentString<CandidateRowFragment, unknown>;
export const ExperimentSummaryFragmentDoc = new TypedDocumentString(
  `
    fragment ExperimentSummary on Experiment {
  id
  status
  error
  startedAt
  finishedAt
  updatedAt
  progress {
    budget
    completed
    failed
    inProgress
  }
}
    `,
  { fragmentName: 'ExperimentSummary' },
) as unknown as TypedDocumentString<ExperimentSummaryFragment, unknown>;
export const TrainedModelRowFragmentDoc = new TypedDocumentString(
  `
    fragment TrainedModelRow on TrainedModel {
  id
  candidateId
  method
  epochs
  status
  error
  testTop1
  testTop5
  latencyMs
  params
  downloadable
  createdAt
}
    `,
  { fragmentName: 'TrainedModelRow' },
) as unknown as TypedDocumentString<TrainedModelRowFragment, unknown>;
export const ExperimentLiveFragmentDoc = new TypedDocumentString(
  `
    fragment ExperimentLive on Experiment {
  ...ExperimentSummary
  generations {
    index
    status
    rewardMax
    rewardMean
    rewardMin
    accuracyMean
    entropy
  }
  paretoFront {
    id
    generation
    proxyAccuracy
    latencyMs
    reward
    architecture
  }
  bestCandidates(k: 1) {
    id
    genome
    architecture
    proxyAccuracy
    proxyTop5
    latencyMs
    reward
    params
    flops
  }
  trainedModels {
    ...TrainedModelRow
  }
}
    fragment TrainedModelRow on TrainedModel {
  id
  candidateId
  method
  epochs
  status
  error
  testTop1
  testTop5
  latencyMs
  params
  downloadable
  createdAt
}
fragment ExperimentSummary on Experiment {
  id
  status
  error
  startedAt
  finishedAt
  updatedAt
  progress {
    budget
    completed
    failed
    inProgress
  }
}`,
  { fragmentName: 'ExperimentLive' },
) as unknown as TypedDocumentString<ExperimentLiveFragment, unknown>;
export const TeacherRowFragmentDoc = new TypedDocumentString(
  `
    fragment TeacherRow on Teacher {
  id
  name
  family
  source
  status
  error
  testAccuracy
  testTop5
  params
  flops
  downloadable
  datasetId
  members {
    id
    name
  }
}
    `,
  { fragmentName: 'TeacherRow' },
) as unknown as TypedDocumentString<TeacherRowFragment, unknown>;
export const NewExperimentDocument = new TypedDocumentString(`
    query NewExperiment {
  datasets {
    id
    name
    trainCount
    numClasses
    inputHeight
    inputWidth
    inputChannels
  }
  teachers {
    id
    name
    family
    status
    datasetId
    testAccuracy
  }
  latencyProfiles {
    id
    name
    backend
    inputShape
    flopsFit
  }
}
    `) as unknown as TypedDocumentString<NewExperimentQuery, NewExperimentQueryVariables>;
export const ExperimentsDocument = new TypedDocumentString(`
    query Experiments($first: Int!, $after: String, $filter: ExperimentFilterInput) {
  experiments(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        name
        status
        searchBy
        strategy
        latencyTargetMs
        createdAt
        dataset {
          name
        }
        teacher {
          id
          name
        }
        progress {
          budget
          completed
          failed
        }
        bestCandidates(k: 1) {
          id
          proxyAccuracy
          latencyMs
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ExperimentsQuery, ExperimentsQueryVariables>;
export const MeasureSpacesDocument = new TypedDocumentString(`
    query MeasureSpaces {
  datasets {
    id
    name
    inputHeight
    inputWidth
    inputChannels
    numClasses
  }
  experiments(first: 50) {
    edges {
      node {
        id
        name
        datasetId
        searchSpace
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MeasureSpacesQuery, MeasureSpacesQueryVariables>;
export const LatencyProfilesDocument = new TypedDocumentString(`
    query LatencyProfiles {
  latencyProfiles {
    id
    name
    device
    backend
    source
    inputShape
    measuredAt
    flopsFit
    table
  }
}
    `) as unknown as TypedDocumentString<LatencyProfilesQuery, LatencyProfilesQueryVariables>;
export const LeaderboardDatasetsDocument = new TypedDocumentString(`
    query LeaderboardDatasets {
  datasets {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<LeaderboardDatasetsQuery, LeaderboardDatasetsQueryVariables>;
export const TeacherLeaderboardsDocument = new TypedDocumentString(`
    query TeacherLeaderboards($datasetId: ID!, $bucketsMs: [Float!]!, $perBucket: Int!) {
  teacherLeaderboards(
    datasetId: $datasetId
    bucketsMs: $bucketsMs
    perBucket: $perBucket
  ) {
    teacherName
    teacherTestAccuracy
    teacher {
      id
    }
    buckets {
      minLatencyMs
      maxLatencyMs
      candidates
      entries {
        rank
        accuracy
        accuracySource
        proxyAccuracy
        testAccuracy
        trainedModelId
        latencyMs
        params
        flops
        gain
        gainSource
        hardLabelAccuracy
        teacherAccuracyRetained
        experimentId
        candidate {
          id
          architecture
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<TeacherLeaderboardsQuery, TeacherLeaderboardsQueryVariables>;
export const ModelDocument = new TypedDocumentString(`
    query Model($id: ID!) {
  trainedModel(id: $id) {
    id
    candidateId
    experimentId
    teacherId
    method
    epochs
    status
    error
    testTop1
    testTop5
    latencyMs
    params
    flops
    settings
    downloadable
    createdAt
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<ModelQuery, ModelQueryVariables>;
export const ModelLineageDocument = new TypedDocumentString(`
    query ModelLineage($experimentId: ID!) {
  experiment(id: $experimentId) {
    id
    name
    searchBy
    strategy
    latencyModel
    latencyTargetMs
    searchSpace
    dataset {
      id
      name
    }
    teacher {
      id
      name
      testAccuracy
    }
    proxySettings {
      trainSize
      valSize
      epochs
    }
    kdSettings {
      lambda
      temperature
    }
    bestCandidates(k: 50) {
      id
      genome
      architecture
      proxyAccuracy
      latencyMs
    }
  }
}
    `) as unknown as TypedDocumentString<ModelLineageQuery, ModelLineageQueryVariables>;
export const ModelsDocument = new TypedDocumentString(`
    query Models($after: String) {
  experiments(first: 50, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        name
        dataset {
          name
        }
        teacher {
          id
          name
        }
        trainedModels {
          id
          method
          epochs
          status
          testTop1
          testTop5
          latencyMs
          params
          downloadable
          createdAt
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ModelsQuery, ModelsQueryVariables>;
export const OverviewDocument = new TypedDocumentString(`
    query Overview {
  experiments(first: 10) {
    totalCount
    edges {
      node {
        id
        name
        status
        searchBy
        strategy
        latencyTargetMs
        createdAt
        dataset {
          id
          name
        }
        teacher {
          id
          name
        }
        progress {
          budget
          completed
          failed
          inProgress
        }
        bestCandidates(k: 1) {
          id
          proxyAccuracy
          latencyMs
          reward
        }
      }
    }
  }
  teachers {
    id
    name
    family
    source
    status
    testAccuracy
    params
    dataset {
      id
      name
    }
  }
  workers {
    id
    host
    pid
    backend
    alive
    heartbeatAt
    currentJob
  }
}
    `) as unknown as TypedDocumentString<OverviewQuery, OverviewQueryVariables>;
export const RoleProbeDocument = new TypedDocumentString(`
    query RoleProbe {
  apiTokens {
    id
  }
}
    `) as unknown as TypedDocumentString<RoleProbeQuery, RoleProbeQueryVariables>;
export const TeacherPageDocument = new TypedDocumentString(`
    query TeacherPage($id: ID!) {
  teacher(id: $id) {
    id
    name
    family
    source
    status
    error
    testAccuracy
    testTop5
    params
    flops
    config
    trainingSettings
    downloadable
    createdAt
    dataset {
      id
      name
    }
    members {
      id
      name
      testAccuracy
    }
  }
  experiments(first: 50, filter: {teacherId: $id}) {
    totalCount
    edges {
      node {
        id
        name
        status
        latencyTargetMs
        bestCandidates(k: 1) {
          proxyAccuracy
          latencyMs
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<TeacherPageQuery, TeacherPageQueryVariables>;
export const CompareDatasetsDocument = new TypedDocumentString(`
    query CompareDatasets {
  datasets {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<CompareDatasetsQuery, CompareDatasetsQueryVariables>;
export const TeacherComparisonDocument = new TypedDocumentString(`
    query TeacherComparison($datasetId: ID!, $latencyTargetMs: Float!) {
  teachers(datasetId: $datasetId) {
    id
    name
    family
    status
    testAccuracy
    params
    flops
  }
  teacherAdvice(datasetId: $datasetId, latencyTargetMs: $latencyTargetMs) {
    teacherName
    rank
    candidates
    candidatesUnderTarget
    bestAccuracy
    teacher {
      id
      testAccuracy
    }
    best {
      id
      experimentId
      architecture
      latencyMs
    }
  }
  studies(datasetId: $datasetId, kind: SIMILARITY, first: 5) {
    edges {
      node {
        id
        name
        status
        createdAt
        ... on SimilarityStudy {
          split
          temperature
          similarity {
            names
            meanKl
            agreement
            samples
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<TeacherComparisonQuery, TeacherComparisonQueryVariables>;
export const WorkersDocument = new TypedDocumentString(`
    query Workers {
  workers {
    id
    host
    pid
    backend
    alive
    heartbeatAt
    startedAt
    currentJob
  }
}
    `) as unknown as TypedDocumentString<WorkersQuery, WorkersQueryVariables>;
export const CreateExperimentDocument = new TypedDocumentString(`
    mutation CreateExperiment($input: CreateExperimentInput!) {
  createExperiment(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<CreateExperimentMutation, CreateExperimentMutationVariables>;
export const ExperimentPageDocument = new TypedDocumentString(`
    query ExperimentPage($id: ID!, $first: Int!, $orderBy: CandidateOrder!) {
  experiment(id: $id) {
    ...ExperimentLive
    name
    createdAt
    budget
    generationSize
    searchBy
    strategy
    strategyOptions
    latencyModel
    latencyTargetMs
    rewardAlpha
    rewardBeta
    seed
    searchSpace
    dataset {
      id
      name
      trainCount
    }
    teacher {
      id
      name
      family
      testAccuracy
    }
    kdSettings {
      lambda
      temperature
    }
    proxySettings {
      trainSize
      valSize
      epochs
      batchSize
      learningRate
      seed
    }
    candidates(first: $first, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...CandidateRow
        }
      }
    }
  }
}
    fragment CandidateRow on Candidate {
  id
  generation
  status
  architecture
  proxyAccuracy
  proxyTop5
  latencyMs
  params
  flops
  reward
  trainMs
  host
  backend
  error
}
fragment TrainedModelRow on TrainedModel {
  id
  candidateId
  method
  epochs
  status
  error
  testTop1
  testTop5
  latencyMs
  params
  downloadable
  createdAt
}
fragment ExperimentSummary on Experiment {
  id
  status
  error
  startedAt
  finishedAt
  updatedAt
  progress {
    budget
    completed
    failed
    inProgress
  }
}
fragment ExperimentLive on Experiment {
  ...ExperimentSummary
  generations {
    index
    status
    rewardMax
    rewardMean
    rewardMin
    accuracyMean
    entropy
  }
  paretoFront {
    id
    generation
    proxyAccuracy
    latencyMs
    reward
    architecture
  }
  bestCandidates(k: 1) {
    id
    genome
    architecture
    proxyAccuracy
    proxyTop5
    latencyMs
    reward
    params
    flops
  }
  trainedModels {
    ...TrainedModelRow
  }
}`) as unknown as TypedDocumentString<ExperimentPageQuery, ExperimentPageQueryVariables>;
export const ExperimentLiveDataDocument = new TypedDocumentString(`
    query ExperimentLiveData($id: ID!) {
  experiment(id: $id) {
    ...ExperimentLive
  }
}
    fragment TrainedModelRow on TrainedModel {
  id
  candidateId
  method
  epochs
  status
  error
  testTop1
  testTop5
  latencyMs
  params
  downloadable
  createdAt
}
fragment ExperimentSummary on Experiment {
  id
  status
  error
  startedAt
  finishedAt
  updatedAt
  progress {
    budget
    completed
    failed
    inProgress
  }
}
fragment ExperimentLive on Experiment {
  ...ExperimentSummary
  generations {
    index
    status
    rewardMax
    rewardMean
    rewardMin
    accuracyMean
    entropy
  }
  paretoFront {
    id
    generation
    proxyAccuracy
    latencyMs
    reward
    architecture
  }
  bestCandidates(k: 1) {
    id
    genome
    architecture
    proxyAccuracy
    proxyTop5
    latencyMs
    reward
    params
    flops
  }
  trainedModels {
    ...TrainedModelRow
  }
}`) as unknown as TypedDocumentString<ExperimentLiveDataQuery, ExperimentLiveDataQueryVariables>;
export const CandidatesPageDocument = new TypedDocumentString(`
    query CandidatesPage($id: ID!, $first: Int!, $after: String, $orderBy: CandidateOrder!, $status: CandidateStatus) {
  experiment(id: $id) {
    id
    candidates(first: $first, after: $after, orderBy: $orderBy, status: $status) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...CandidateRow
        }
      }
    }
  }
}
    fragment CandidateRow on Candidate {
  id
  generation
  status
  architecture
  proxyAccuracy
  proxyTop5
  latencyMs
  params
  flops
  reward
  trainMs
  host
  backend
  error
}`) as unknown as TypedDocumentString<CandidatesPageQuery, CandidatesPageQueryVariables>;
export const CandidatePointsDocument = new TypedDocumentString(`
    query CandidatePoints($id: ID!, $after: String) {
  experiment(id: $id) {
    id
    candidates(first: 100, after: $after, orderBy: CREATED_ASC, status: COMPLETED) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          generation
          proxyAccuracy
          latencyMs
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CandidatePointsQuery, CandidatePointsQueryVariables>;
export const ExperimentUpdatedDocument = new TypedDocumentString(`
    subscription ExperimentUpdated($id: ID!) {
  experimentUpdated(id: $id) {
    ...ExperimentSummary
  }
}
    fragment ExperimentSummary on Experiment {
  id
  status
  error
  startedAt
  finishedAt
  updatedAt
  progress {
    budget
    completed
    failed
    inProgress
  }
}`) as unknown as TypedDocumentString<ExperimentUpdatedSubscription, ExperimentUpdatedSubscriptionVariables>;
export const CandidateFinishedDocument = new TypedDocumentString(`
    subscription CandidateFinished($experimentId: ID!) {
  candidateFinished(experimentId: $experimentId) {
    ...CandidateRow
  }
}
    fragment CandidateRow on Candidate {
  id
  generation
  status
  architecture
  proxyAccuracy
  proxyTop5
  latencyMs
  params
  flops
  reward
  trainMs
  host
  backend
  error
}`) as unknown as TypedDocumentString<CandidateFinishedSubscription, CandidateFinishedSubscriptionVariables>;
export const PauseExperimentDocument = new TypedDocumentString(`
    mutation PauseExperiment($id: ID!) {
  pauseExperiment(id: $id) {
    ...ExperimentSummary
  }
}
    fragment ExperimentSummary on Experiment {
  id
  status
  error
  startedAt
  finishedAt
  updatedAt
  progress {
    budget
    completed
    failed
    inProgress
  }
}`) as unknown as TypedDocumentString<PauseExperimentMutation, PauseExperimentMutationVariables>;
export const ResumeExperimentDocument = new TypedDocumentString(`
    mutation ResumeExperiment($id: ID!) {
  resumeExperiment(id: $id) {
    ...ExperimentSummary
  }
}
    fragment ExperimentSummary on Experiment {
  id
  status
  error
  startedAt
  finishedAt
  updatedAt
  progress {
    budget
    completed
    failed
    inProgress
  }
}`) as unknown as TypedDocumentString<ResumeExperimentMutation, ResumeExperimentMutationVariables>;
export const CancelExperimentDocument = new TypedDocumentString(`
    mutation CancelExperiment($id: ID!) {
  cancelExperiment(id: $id) {
    ...ExperimentSummary
  }
}
    fragment ExperimentSummary on Experiment {
  id
  status
  error
  startedAt
  finishedAt
  updatedAt
  progress {
    budget
    completed
    failed
    inProgress
  }
}`) as unknown as TypedDocumentString<CancelExperimentMutation, CancelExperimentMutationVariables>;
export const StartExperimentDocument = new TypedDocumentString(`
    mutation StartExperiment($id: ID!) {
  startExperiment(id: $id) {
    ...ExperimentSummary
  }
}
    fragment ExperimentSummary on Experiment {
  id
  status
  error
  startedAt
  finishedAt
  updatedAt
  progress {
    budget
    completed
    failed
    inProgress
  }
}`) as unknown as TypedDocumentString<StartExperimentMutation, StartExperimentMutationVariables>;
export const DeleteExperimentDocument = new TypedDocumentString(`
    mutation DeleteExperiment($id: ID!) {
  deleteExperiment(id: $id) {
    id
  }
}
    `) as unknown as TypedDocumentString<DeleteExperimentMutation, DeleteExperimentMutationVariables>;
export const TrainFinalModelsDocument = new TypedDocumentString(`
    mutation TrainFinalModels($experimentId: ID!, $topK: Int!, $epochs: Int!, $method: DistillationMethod!) {
  trainFinalModels(
    experimentId: $experimentId
    topK: $topK
    epochs: $epochs
    method: $method
  ) {
    ...TrainedModelRow
  }
}
    fragment TrainedModelRow on TrainedModel {
  id
  candidateId
  method
  epochs
  status
  error
  testTop1
  testTop5
  latencyMs
  params
  downloadable
  createdAt
}`) as unknown as TypedDocumentString<TrainFinalModelsMutation, TrainFinalModelsMutationVariables>;
export const ExperimentStructureDocument = new TypedDocumentString(`
    query ExperimentStructure($id: ID!) {
  experiment(id: $id) {
    id
    structure {
      candidateCount
      pcaUnavailableReason
      pca {
        components {
          index
          explainedVarianceRatio
          topLoadings {
            label
            weight
          }
        }
        points {
          candidateId
          generation
          x
          y
          accuracy
        }
      }
      distributions {
        generation
        genomes
        ops {
          value
          share
        }
      }
      latencyVersusFlops {
        unavailableReason
        fit {
          slopeMsPerFlop
          interceptMs
          rSquared
          n
        }
        points {
          flops
          latencyMs
        }
      }
    }
    proxyFidelity {
      n
      spearman
      unavailableReason
      pairs {
        candidateId
        proxyAccuracy
        testAccuracy
        epochs
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ExperimentStructureQuery, ExperimentStructureQueryVariables>;
export const CreateLatencyProfileDocument = new TypedDocumentString(`
    mutation CreateLatencyProfile($input: CreateLatencyProfileInput!) {
  createLatencyProfile(input: $input) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<CreateLatencyProfileMutation, CreateLatencyProfileMutationVariables>;
export const StudiesDocument = new TypedDocumentString(`
    query Studies($after: String, $kind: StudyKind) {
  studies(first: 25, after: $after, kind: $kind) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        name
        kind
        status
        complete
        createdAt
        dataset {
          name
        }
        progress {
          total
          completed
          failed
        }
      }
    }
  }
  teachers {
    id
    name
    status
    datasetId
  }
  experiments(first: 50) {
    edges {
      node {
        id
        name
        status
        searchBy
        datasetId
      }
    }
  }
}
    `) as unknown as TypedDocumentString<StudiesQuery, StudiesQueryVariables>;
export const StudyDocument = new TypedDocumentString(`
    query Study($id: ID!) {
  study(id: $id) {
    id
    name
    kind
    status
    complete
    createdAt
    assembledAt
    dataset {
      id
      name
    }
    progress {
      total
      completed
      failed
      pending
      running
      cancelled
    }
    missingCells {
      cellId
      key
      status
      error
      attempts
    }
    ... on SimilarityStudy {
      split
      temperature
      similarity {
        names
        meanKl
        agreement
        samples
      }
    }
    ... on RankingStudy {
      seeds
      incompleteReason
      tieRule
      teachers {
        key
        name
        teacherId
        testAccuracy
      }
      students {
        key
        label
        architecture
        params
        flops
      }
      matrix {
        teacher
        student
        mean
        standardDeviation
        seeds
      }
      rankings {
        teacher
        teacherName
        complete
        withinNoiseOfBest
        bestWithinSpread
        ranks {
          student
          rank
          mean
          tiedWith
        }
      }
      kendallTau {
        teacherA
        teacherB
        tau
      }
    }
    ... on AblationStudy {
      latencyTargetsMs
      teacher {
        name
        teacherId
      }
      rows {
        latencyTargetMs
        entries {
          searchBy
          trainBy
          status
          top1
          top5
          error
          experimentId
          trainedModelId
        }
      }
    }
    ... on KdFriendlinessStudy {
      akdExperimentId
      nasExperimentId
      topK
      generationResults {
        generation
        winningRatio
        averageGain
        wins
        ties
        comparisons
        akd {
          student
          gain
        }
        nas {
          student
          gain
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<StudyQuery, StudyQueryVariables>;
export const CancelStudyDocument = new TypedDocumentString(`
    mutation CancelStudy($id: ID!) {
  cancelStudy(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<CancelStudyMutation, CancelStudyMutationVariables>;
export const CreateRankingStudyDocument = new TypedDocumentString(`
    mutation CreateRankingStudy($input: CreateRankingStudyInput!) {
  createRankingStudy(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<CreateRankingStudyMutation, CreateRankingStudyMutationVariables>;
export const CreateAblationStudyDocument = new TypedDocumentString(`
    mutation CreateAblationStudy($input: CreateAblationStudyInput!) {
  createAblationStudy(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<CreateAblationStudyMutation, CreateAblationStudyMutationVariables>;
export const CreateKdFriendlinessStudyDocument = new TypedDocumentString(`
    mutation CreateKdFriendlinessStudy($input: CreateKdFriendlinessStudyInput!) {
  createKdFriendlinessStudy(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<
  CreateKdFriendlinessStudyMutation,
  CreateKdFriendlinessStudyMutationVariables
>;
export const TeachersPageDocument = new TypedDocumentString(`
    query TeachersPage($datasetId: ID) {
  datasets {
    id
    name
  }
  teachers(datasetId: $datasetId) {
    ...TeacherRow
  }
}
    fragment TeacherRow on Teacher {
  id
  name
  family
  source
  status
  error
  testAccuracy
  testTop5
  params
  flops
  downloadable
  datasetId
  members {
    id
    name
  }
}`) as unknown as TypedDocumentString<TeachersPageQuery, TeachersPageQueryVariables>;
export const TrainTeacherDocument = new TypedDocumentString(`
    mutation TrainTeacher($input: TrainTeacherInput!) {
  trainTeacher(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<TrainTeacherMutation, TrainTeacherMutationVariables>;
export const CreateEnsembleTeacherDocument = new TypedDocumentString(`
    mutation CreateEnsembleTeacher($input: CreateEnsembleTeacherInput!) {
  createEnsembleTeacher(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<
  CreateEnsembleTeacherMutation,
  CreateEnsembleTeacherMutationVariables
>;
export const CreateSimilarityStudyDocument = new TypedDocumentString(`
    mutation CreateSimilarityStudy($input: CreateSimilarityStudyInput!) {
  createSimilarityStudy(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<
  CreateSimilarityStudyMutation,
  CreateSimilarityStudyMutationVariables
>;
