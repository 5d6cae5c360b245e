// KD-friendliness over a search: at chosen generations, the top students of an AKD search and of
// a conventional search are each trained with distillation (KD) and with hard labels (CLS).
import { isDeepStrictEqual } from 'node:util';
import { AkdError } from '@akd/core';
import type { Experiment, PrismaClient } from '@akd/db';
import { spaceFingerprint, type Genome, type SearchSpace } from '@akd/search-space';
import {
  checkStudyName,
  checkWholeNumber,
  isUuid,
  loadStudyTeachers,
  MAX_STUDY_CELLS,
  resolveSeeds,
  resolveTraining,
  teacherRef,
  TRAINING_LOGITS_SPLIT,
} from './inputs.js';
import { trainCellKey } from './ranking-result.js';
import { recordStudy, type NewStudyCell } from './records.js';
import { buildStudent, MAX_STUDY_STUDENTS } from './students.js';
import {
  GROUND_TRUTH_KEY,
  type KdFriendlinessMember,
  type KdFriendlinessStudyConfig,
  type KdFriendlinessStudyInput,
  type StudyQueue,
  type StudyStudent,
  type StudyTrainingInput,
  type StudyView,
} from './types.js';

/**
 * Validates the input and records a KD-friendliness study. For every chosen generation it takes
 * the `topK` completed candidates of that generation by reward from each search. Each distinct
 * student gets one `train` cell per method and seed: KD from the AKD search's teacher, and CLS on
 * hard labels. The cells are enqueued when `queue` is given.
 *
 * Throws NOT_FOUND for an unknown experiment. Throws INVALID_INPUT, before anything is recorded,
 * when the AKD search does not search by distillation or the NAS search does not search by hard
 * labels, or when the searches differ in dataset, latency target, space or proxy settings. The
 * same holds for a teacher that is not ready, no or repeated generations, a generation that is
 * not completed in both searches or has no completed candidate, zero seeds, and invalid training
 * settings.
 */
export async function createKdFriendlinessStudy(
  prisma: PrismaClient,
  queue: StudyQueue | null,
  input: KdFriendlinessStudyInput,
): Promise<StudyView> {
  const akd = await loadExperiment(prisma, input.akdExperimentId, 'AKD');
  const nas = await loadExperiment(prisma, input.nasExperimentId, 'NAS');
  if (akd.searchBy !== 'distillation' || !akd.teacherId) {
    throw new AkdError(
      'INVALID_INPUT',
      `Experiment ${akd.name} (${akd.id}) searched by hard labels; the AKD search must search by distillation.`,
    );
  }
  if (nas.searchBy !== 'hard_label') {
    throw new AkdError(
      'INVALID_INPUT',
      `Experiment ${nas.name} (${nas.id}) searched by distillation; the NAS search must search by hard labels.`,
    );
  }
  checkSameSettings(akd, nas);
  const { teachers, dataset } = await loadStudyTeachers(prisma, [akd.teacherId], 1, TRAINING_LOGITS_SPLIT);
  const generations = checkGenerations(input.generations);
  checkWholeNumber(input.topK, 'topK', 1, 50);
  const seeds = resolveSeeds(input.seeds, 1);
  const defaultTraining: StudyTrainingInput = {
    mode: 'proxy',
    proxy: akd.proxySettings as object,
    kd: akd.kdSettings as object,
  };
  const training = resolveTraining(input.training ?? defaultTraining, dataset);

  const students: StudyStudent[] = [];
  const keyByIdentity = new Map<string, string>();
  const members: KdFriendlinessMember[] = [];
  for (const generation of generations) {
    for (const [search, experiment] of [
      ['akd', akd],
      ['nas', nas],
    ] as const) {
      const top = await topOfGeneration(prisma, experiment, generation, input.topK);
      const keys = top.map((candidate) => {
        const space = experiment.searchSpace as unknown as SearchSpace;
        const identity = `${spaceFingerprint(space)}:${candidate.genomeHash}`;
        let key = keyByIdentity.get(identity);
        if (!key) {
          key = `s${students.length + 1}`;
          keyByIdentity.set(identity, key);
          students.push(
            buildStudent(key, {
              source: `${search.toUpperCase()} generation ${generation} #${top.indexOf(candidate) + 1}`,
              space,
              genome: candidate.genome as unknown as Genome,
              candidateId: candidate.id,
            }),
          );
        }
        return key;
      });
      members.push({ generation, search, students: keys });
    }
  }
  if (students.length > MAX_STUDY_STUDENTS) {
    throw new AkdError(
      'INVALID_INPUT',
      `The generations give ${students.length} students; a study takes at most ${MAX_STUDY_STUDENTS}. Lower topK or pick fewer generations.`,
    );
  }
  const teacher = teacherRef(teachers[0]);
  const cells: NewStudyCell[] = students.flatMap((student) =>
    [teacher.key, GROUND_TRUTH_KEY].flatMap((teacherKey) =>
      seeds.map((seed) => ({
        key: trainCellKey(student.key, teacherKey, seed),
        config: { kind: 'train' as const, student: student.key, teacher: teacherKey, seed },
      })),
    ),
  );
  if (cells.length > MAX_STUDY_CELLS) {
    throw new AkdError(
      'INVALID_INPUT',
      `The study would train ${cells.length} cells; at most ${MAX_STUDY_CELLS} are allowed.`,
    );
  }
  const config: KdFriendlinessStudyConfig = {
    kind: 'kd-friendliness',
    akdExperimentId: akd.id,
    nasExperimentId: nas.id,
    teacher,
    generations,
    topK: input.topK,
    seeds,
    training,
    students,
    members,
  };
  return recordStudy(prisma, queue, {
    kind: 'kd-friendliness',
    name: checkStudyName(input.name ?? `KD-friendliness of ${akd.name} vs ${nas.name}`),
    datasetId: dataset.id,
    content: { config, cells },
  });
}

async function loadExperiment(prisma: PrismaClient, id: string, role: 'AKD' | 'NAS'): Promise<Experiment> {
  const experiment = isUuid(id) ? await prisma.experiment.findUnique({ where: { id } }) : null;
  if (!experiment)
    throw new AkdError('NOT_FOUND', `${role} experiment ${id} does not exist.`, { experimentId: id });
  return experiment;
}

/** Throws INVALID_INPUT naming the first setting in which the two searches differ. */
function checkSameSettings(akd: Experiment, nas: Experiment): void {
  const fields: [string, unknown, unknown][] = [
    ['dataset', akd.datasetId, nas.datasetId],
    ['latency target', akd.latencyTargetMs, nas.latencyTargetMs],
    ['search space', akd.searchSpace, nas.searchSpace],
    ['proxy settings', akd.proxySettings, nas.proxySettings],
  ];
  for (const [field, a, b] of fields) {
    if (!isDeepStrictEqual(a, b)) {
      throw new AkdError(
        'INVALID_INPUT',
        `The AKD search ${akd.name} and the NAS search ${nas.name} differ in their ${field}; compare searches with the same settings.`,
        { field },
      );
    }
  }
}

/**
 * Returns the generations sorted. Throws INVALID_INPUT for no generations, one that is not a
 * zero-based whole number, or a repeated one.
 */
export function checkGenerations(generations: readonly number[] | undefined): number[] {
  if (!Array.isArray(generations) || generations.length === 0) {
    throw new AkdError(
      'INVALID_INPUT',
      'No generations given: list at least one zero-based generation index.',
    );
  }
  const seen = new Set<number>();
  for (const generation of generations) {
    if (!Number.isInteger(generation) || generation < 0) {
      throw new AkdError('INVALID_INPUT', `Invalid generation ${generation}: use a zero-based whole number.`);
    }
    if (seen.has(generation))
      throw new AkdError(
        'INVALID_INPUT',
        `Generation ${generation} is listed twice; list each generation once.`,
      );
    seen.add(generation);
  }
  return [...generations].sort((a, b) => a - b);
}

/** Returns the best completed candidates of one generation by reward, after checking it completed. */
async function topOfGeneration(
  prisma: PrismaClient,
  experiment: Experiment,
  generation: number,
  topK: number,
) {
  const row = await prisma.generation.findUnique({
    where: { experimentId_index: { experimentId: experiment.id, index: generation } },
  });
  if (!row || row.status !== 'completed') {
    throw new AkdError(
      'INVALID_INPUT',
      `Generation ${generation} of experiment ${experiment.name} (${experiment.id}) is ${row ? row.status : 'missing'}, not completed; pick completed generations.`,
      { experimentId: experiment.id, generation },
    );
  }
  const top = await prisma.candidate.findMany({
    where: { experimentId: experiment.id, generation, status: 'completed', reward: { not: null } },
    orderBy: [{ reward: 'desc' }, { id: 'asc' }],
    take: topK,
  });
  if (top.length === 0) {
    throw new AkdError(
      'INVALID_INPUT',
      `Generation ${generation} of experiment ${experiment.name} (${experiment.id}) has no completed candidate.`,
    );
  }
  return top;
}
