import { registerEnumType } from '@nestjs/graphql';

// GraphQL enum values are SCREAMING_SNAKE_CASE names. Their TypeScript values are the kebab-case
// spellings that Postgres stores and the CLI uses, so `fromEnumKey(row.field)` maps a Prisma row
// value onto them directly.

export enum DatasetKindValue {
  IDX = 'idx',
  CIFAR10 = 'cifar10',
  IMAGE_FOLDER = 'image-folder',
}

export enum TeacherSourceValue {
  ZOO = 'zoo',
  IMPORTED_MODEL = 'imported-model',
  IMPORTED_LOGITS = 'imported-logits',
  ENSEMBLE = 'ensemble',
}

export enum TeacherStatusValue {
  PENDING = 'pending',
  TRAINING = 'training',
  READY = 'ready',
  FAILED = 'failed',
}

export enum SearchStrategyValue {
  POLICY_GRADIENT = 'policy-gradient',
  EVOLUTION = 'evolution',
  RANDOM = 'random',
}

export enum SearchByValue {
  DISTILLATION = 'distillation',
  HARD_LABEL = 'hard-label',
}

export enum LatencyModelValue {
  TABLE = 'table',
  MEASURED = 'measured',
  FLOPS = 'flops',
}

export enum LatencySourceValue {
  WORKER = 'worker',
  BROWSER = 'browser',
}

export enum ExperimentStatusValue {
  QUEUED = 'queued',
  RUNNING = 'running',
  PAUSED = 'paused',
  COMPLETED = 'completed',
  FAILED = 'failed',
  CANCELLED = 'cancelled',
}

export enum CandidateStatusValue {
  PENDING = 'pending',
  TRAINING = 'training',
  COMPLETED = 'completed',
  FAILED = 'failed',
}

export enum JobStatusValue {
  PENDING = 'pending',
  RUNNING = 'running',
  COMPLETED = 'completed',
  FAILED = 'failed',
  CANCELLED = 'cancelled',
}

export enum DistillationMethodValue {
  HARD_LABEL = 'hard-label',
  HINTON = 'hinton',
  CC = 'cc',
  TA = 'ta',
  RCO = 'rco',
}

export enum ApiRoleValue {
  READER = 'reader',
  EDITOR = 'editor',
}

registerEnumType(DatasetKindValue, { name: 'DatasetKind', description: 'Storage format of a dataset.' });
registerEnumType(TeacherSourceValue, {
  name: 'TeacherSource',
  description: 'How a teacher came to be: trained from the zoo, imported, or an ensemble of teachers.',
});
registerEnumType(TeacherStatusValue, { name: 'TeacherStatus', description: 'Training state of a teacher.' });
registerEnumType(SearchStrategyValue, {
  name: 'SearchStrategy',
  description: 'Algorithm that proposes candidate architectures.',
});
registerEnumType(SearchByValue, {
  name: 'SearchBy',
  description: 'Training signal that scores a candidate: distillation from the teacher, or hard labels only.',
});
registerEnumType(LatencyModelValue, {
  name: 'LatencyModel',
  description: 'How a candidate latency is obtained: lookup table, direct measurement, or a fit on FLOPs.',
});
registerEnumType(LatencySourceValue, {
  name: 'LatencySource',
  description: 'Where a latency profile was measured.',
});
registerEnumType(ExperimentStatusValue, {
  name: 'ExperimentStatus',
  description: 'Lifecycle of an experiment.',
});
registerEnumType(CandidateStatusValue, {
  name: 'CandidateStatus',
  description: 'Evaluation state of a candidate.',
});
registerEnumType(JobStatusValue, {
  name: 'JobStatus',
  description: 'Lifecycle of generations and trained models.',
});
registerEnumType(DistillationMethodValue, {
  name: 'DistillationMethod',
  description:
    'Training method of a final model. HARD_LABEL: cross-entropy on labels only. HINTON: temperature-softened ' +
    'teacher outputs. CC: correlation congruence. TA: distillation through a teacher assistant. RCO: ' +
    'route-constrained optimization along the teacher training checkpoints.',
});
registerEnumType(ApiRoleValue, {
  name: 'ApiRole',
  description: 'READER may query and download. EDITOR may also run mutations and uploads.',
});
