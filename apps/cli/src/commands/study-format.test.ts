import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assembleRankingResult,
  trainCellKey,
  type CellRecord,
  type RankingStudyConfig,
  type StudyStudent,
} from '@akd/runner';
import { formatRanking, formatTable } from './study-format.js';

function student(key: string): StudyStudent {
  return {
    key,
    label: key,
    source: `genome ${key}`,
    genomeHash: `${key}hash0000`,
    architecture: `arch-${key}`,
    params: 1234,
    flops: 2_500_000,
  } as StudyStudent;
}

const config = {
  kind: 'ranking',
  teachers: [
    { key: 'id-a', name: 'resnet', testAccuracy: 0.9 },
    { key: 'GT', name: 'GT', testAccuracy: null },
  ],
  students: [student('s1'), student('s2')],
  seeds: [1, 2],
  training: { mode: 'proxy' },
} as RankingStudyConfig;

function cell(studentKey: string, teacher: string, seed: number, accuracy: number | null): CellRecord {
  const key = trainCellKey(studentKey, teacher, seed);
  return {
    id: key,
    key,
    status: accuracy === null ? 'pending' : 'completed',
    attempts: 1,
    config: { kind: 'train', student: studentKey, teacher, seed },
    result:
      accuracy === null
        ? null
        : {
            kind: 'train',
            accuracy,
            top5: 1,
            evaluatedOn: 'mini-val',
            latencyMs: 1,
            params: 1,
            flops: 1,
            trainMs: 1,
            backend: 'cpu',
            epochLosses: [1],
          },
    error: null,
  };
}

describe('formatRanking', () => {
  it('prints means, spreads, ranks and τ', () => {
    const cells = [
      cell('s1', 'id-a', 1, 0.8),
      cell('s1', 'id-a', 2, 0.82),
      cell('s2', 'id-a', 1, 0.7),
      cell('s2', 'id-a', 2, 0.7),
      cell('s1', 'GT', 1, 0.6),
      cell('s1', 'GT', 2, 0.6),
      cell('s2', 'GT', 1, 0.65),
      cell('s2', 'GT', 2, 0.65),
    ];
    const text = formatRanking(config, assembleRankingResult(config, cells));
    assert.match(text, /s1\s+81\.00 ± 1\.41 \(1\)\s+60\.00 ± 0\.00 \(2\)/);
    assert.match(text, /s2\s+70\.00 ± 0\.00 \(2\)\s+65\.00 ± 0\.00 \(1\)/);
    assert.match(text, /resnet: s1\n/);
    assert.match(text, /GT: s2\n/);
    assert.match(text, /resnet\s+1\.00\s+-1\.00/);
    assert.doesNotMatch(text, /Incomplete/);
  });

  it('marks partial entries and unranked teachers', () => {
    const cells = [
      cell('s1', 'id-a', 1, 0.8),
      cell('s1', 'id-a', 2, null),
      cell('s2', 'id-a', 1, 0.7),
      cell('s2', 'id-a', 2, 0.7),
    ];
    const text = formatRanking(config, assembleRankingResult(config, cells));
    assert.match(text, /80\.00 \[1\/2\]/);
    assert.match(text, /resnet: incomplete, not ranked/);
    assert.match(text, /Incomplete: 5 of 8 cells have no accuracy/);
  });
});

describe('formatTable', () => {
  it('aligns columns', () => {
    assert.equal(formatTable(['a', 'bb'], [['xyz', '1']]), '  a    bb\n  ---  --\n  xyz   1');
  });
});
