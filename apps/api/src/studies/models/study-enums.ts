import { registerEnumType } from '@nestjs/graphql';

// TypeScript values are the spellings that `@akd/runner` stores in study configs and results.

export enum StudyKindValue {
  SIMILARITY = 'similarity',
  RANKING = 'ranking',
  ABLATION = 'ablation',
  KD_FRIENDLINESS = 'kd-friendliness',
}

export enum SimilaritySplitValue {
  TRAIN = 'train',
  TEST = 'test',
  MINI_TRAIN = 'mini-train',
  MINI_VAL = 'mini-val',
}

export enum StudyTrainingModeValue {
  PROXY = 'proxy',
  FULL = 'full',
}

registerEnumType(StudyKindValue, {
  name: 'StudyKind',
  description:
    'SIMILARITY: KL divergence and top-1 agreement between teachers. RANKING: students trained from every teacher ' +
    'with several seeds. ABLATION: search signal x training signal per latency target. KD_FRIENDLINESS: KD gain of ' +
    'the students of a distillation search against those of a hard-label search.',
});
registerEnumType(SimilaritySplitValue, {
  name: 'SimilaritySplit',
  description:
    'Samples a similarity study compares the teachers on. MINI_TRAIN and MINI_VAL are the proxy-task subsets of the ' +
    'training split.',
});
registerEnumType(StudyTrainingModeValue, {
  name: 'StudyTrainingMode',
  description:
    'PROXY: train on mini-train and score on mini-val, as the search scores candidates. FULL: train on the whole ' +
    'training split and score on the test split, as a final training does.',
});
