// Teacher × student ranking study: every student trained from every teacher (and GT) with n seeds.
import { AkdError } from '@akd/core';
import type { PrismaClient } from '@akd/db';
import {
  checkStudyName,
  loadStudyTeachers,
  MAX_STUDY_CELLS,
  MIN_COMPARED_TEACHERS,
  MIN_RANKED_STUDENTS,
  resolveSeeds,
  resolveTraining,
  teacherRef,
  TRAINING_LOGITS_SPLIT,
} from './inputs.js';
import { trainCellKey } from './ranking-result.js';
import { recordStudy, type NewStudyCell } from './records.js';
import { resolveStudents } from './students.js';
import {
  GROUND_TRUTH_KEY,
  type RankingStudyConfig,
  type RankingStudyInput,
  type StudyQueue,
  type StudyView,
} from './types.js';

/**
 * Validates the input and records a ranking study with one `train` cell per (student, teacher or
 * GT, seed). Each cell trains the student from scratch with Hinton distillation from the
 * teacher's cached logits, or with hard labels for GT. Training runs on the proxy task, or on the
 * full training split with `training.mode = 'full'`. The cells are enqueued when `queue` is given.
 *
 * Throws INVALID_INPUT (NOT_FOUND for an unknown teacher or experiment) before anything is
 * recorded for: fewer than two teachers, teachers of different datasets or not ready, fewer than
 * two distinct students, an invalid genome, zero seeds, and invalid training settings.
 */
export async function createRankingStudy(
  prisma: PrismaClient,
  queue: StudyQueue | null,
  input: RankingStudyInput,
): Promise<StudyView> {
  const { teachers, dataset } = await loadStudyTeachers(
    prisma,
    input.teacherIds,
    MIN_COMPARED_TEACHERS,
    TRAINING_LOGITS_SPLIT,
  );
  const seeds = resolveSeeds(input.seeds);
  const training = resolveTraining(input.training, dataset);
  const students = await resolveStudents(prisma, dataset, input.students ?? {}, MIN_RANKED_STUDENTS);
  const columns = teachers.map(teacherRef);
  if (input.includeGroundTruth ?? true)
    columns.push({ key: GROUND_TRUTH_KEY, name: 'GT', testAccuracy: null });

  const cells: NewStudyCell[] = [];
  for (const student of students) {
    for (const teacher of columns) {
      for (const seed of seeds) {
        cells.push({
          key: trainCellKey(student.key, teacher.key, seed),
          config: { kind: 'train', student: student.key, teacher: teacher.key, seed },
        });
      }
    }
  }
  if (cells.length > MAX_STUDY_CELLS) {
    throw new AkdError(
      'INVALID_INPUT',
      `The study would train ${cells.length} cells (${students.length} students × ${columns.length} teachers × ${seeds.length} seeds); at most ${MAX_STUDY_CELLS} are allowed.`,
    );
  }
  const config: RankingStudyConfig = { kind: 'ranking', teachers: columns, students, seeds, training };
  const name =
    input.name ??
    `ranking of ${students.length} students under ${columns.map((teacher) => teacher.name).join(', ')}`;
  return recordStudy(prisma, queue, {
    kind: 'ranking',
    name: checkStudyName(name),
    datasetId: dataset.id,
    content: { config, cells },
  });
}
