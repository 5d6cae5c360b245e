import { dirname } from 'node:path';
import { Logger } from '@akd/core';
import { loadDatasetAt, type ImageDataset } from '@akd/data';
import type { PrismaClient, Teacher } from '@akd/db';
import { accuracyFromLogits } from '@akd/engine';
import { validateEnsembleMembers } from '@akd/teachers';
import { datasetLocation } from './datasets.js';
import {
  cacheTeacherLogits,
  computeEnsembleLogits,
  fullSplitIndices,
  hasLogitsForSplit,
} from './teacher-logits.js';
import {
  checkDatasetMatchesRow,
  checkTeacherNameFree,
  discardTeacher,
  reserveTeacher,
  validateTeacherName,
} from './teacher-records.js';

const log = new Logger('teachers');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Options of {@link createEnsembleTeacher}. */
export interface CreateEnsembleOptions {
  /** Name of the new teacher, unique within the members' dataset. */
  name: string;
  /** Ids of the member teachers, in the order they are recorded. */
  memberIds: readonly string[];
  /**
   * The members' dataset, already loaded. When absent it is loaded from its registered location.
   * Either way its content must match the registered fingerprint.
   */
  dataset?: ImageDataset;
}

function sumOrNull(values: readonly (bigint | null)[]): bigint | null {
  return values.some((value) => value === null)
    ? null
    : values.reduce<bigint>((sum, value) => sum + (value ?? 0n), 0n);
}

/**
 * Records a teacher whose logits are the mean of its members' logits over the same indices.
 * Validates the members ({@link validateEnsembleMembers}: at least two, no repeats, all ready, one
 * dataset) and computes the test accuracy from the averaged test logits, which are cached. The
 * accuracy is null when a member has no test logits (an imported-logits teacher imported without
 * them). Params and FLOPs are the sums over the members, or null if a member lacks them.
 */
export async function createEnsembleTeacher(
  prisma: PrismaClient,
  options: CreateEnsembleOptions,
): Promise<Teacher> {
  validateTeacherName(options.name);
  const rows = await prisma.teacher.findMany({
    where: { id: { in: options.memberIds.filter((id) => UUID.test(id)) } },
    include: { dataset: true },
  });
  const candidates = rows.map((row) => ({ ...row, datasetName: row.dataset.name }));
  const members = validateEnsembleMembers(options.memberIds, candidates).map(
    (member) => rows.find((row) => row.id === member.id) as (typeof rows)[number],
  );
  const datasetRow = members[0].dataset;
  const dataset = options.dataset ?? (await loadDatasetAt(datasetLocation(datasetRow)));
  checkDatasetMatchesRow(datasetRow, dataset);
  await checkTeacherNameFree(prisma, datasetRow, options.name);

  // Member logits are computed before the row exists, so a failing member leaves no row behind.
  const testIndices = fullSplitIndices(dataset.test.count);
  let testLogits: Float32Array | null = null;
  const membersHaveTest = await Promise.all(
    members.map((member) => hasLogitsForSplit(prisma, member, 'test', dataset.test.count)),
  );
  if (dataset.test.count > 0 && membersHaveTest.every(Boolean)) {
    testLogits = await computeEnsembleLogits(prisma, members, dataset, 'test', testIndices);
  }
  const test = testLogits ? accuracyFromLogits(testLogits, dataset.test.labels) : null;

  const row = await reserveTeacher(prisma, datasetRow, {
    name: options.name,
    source: 'ensemble',
    family: 'ensemble',
    config: {
      description: `Mean of the logits of ${members.map((member) => member.name).join(', ')}.`,
      members: members.map((member) => ({ id: member.id, name: member.name, family: member.family })),
    },
    trainingSettings: {},
    members: members.map((member) => member.id),
  });
  let testPath: string | null = null;
  try {
    if (testLogits) {
      testPath = await cacheTeacherLogits(
        prisma,
        row.id,
        'test',
        testIndices,
        testLogits,
        dataset.numClasses,
      );
    }
    const ready = await prisma.teacher.update({
      where: { id: row.id },
      data: {
        status: 'ready',
        testAccuracy: test?.top1 ?? null,
        testTop5: test?.top5 ?? null,
        params: sumOrNull(members.map((member) => member.params)),
        flops: sumOrNull(members.map((member) => member.flops)),
      },
    });
    log.info('created ensemble teacher', {
      teacherId: ready.id,
      name: ready.name,
      members: members.length,
      testTop1: ready.testAccuracy,
    });
    return ready;
  } catch (error) {
    await discardTeacher(prisma, row.id, testPath ? [dirname(testPath)] : []);
    throw error;
  }
}
