// Student architectures of a study: explicit genomes, the best candidates of experiments, or
// seeded samples of a search space.
import { AkdError, Rng } from '@akd/core';
import type { Dataset, PrismaClient } from '@akd/db';
import {
  countFlops,
  countParams,
  defaultSearchSpace,
  describeGenome,
  genomeHash,
  sampleGenome,
  spaceFingerprint,
  validateGenome,
  validateSearchSpace,
  type Genome,
  type SearchSpace,
} from '@akd/search-space';
import { checkWholeNumber, isUuid } from './inputs.js';
import type { StudentSelectionInput, StudyStudent } from './types.js';

/** Most students one study may train. */
export const MAX_STUDY_STUDENTS = 200;

/** Returns the dataset's default search space, the one `createExperiment` uses. */
export function datasetDefaultSpace(dataset: Dataset): SearchSpace {
  return defaultSearchSpace(
    [dataset.inputHeight, dataset.inputWidth, dataset.inputChannels],
    dataset.numClasses,
  );
}

/** Throws INVALID_INPUT unless `space` is valid and fits the images and classes of `dataset`. */
export function checkSpaceFitsDataset(space: SearchSpace, dataset: Dataset, where: string): void {
  validateSearchSpace(space);
  const [height, width, channels] = space.inputShape;
  if (height !== dataset.inputHeight || width !== dataset.inputWidth || channels !== dataset.inputChannels) {
    throw new AkdError(
      'INVALID_INPUT',
      `The search space of ${where} takes ${height}×${width}×${channels} images but dataset ${dataset.name} has ${dataset.inputHeight}×${dataset.inputWidth}×${dataset.inputChannels}.`,
    );
  }
  if (space.numClasses !== dataset.numClasses) {
    throw new AkdError(
      'INVALID_INPUT',
      `The search space of ${where} has ${space.numClasses} classes but dataset ${dataset.name} has ${dataset.numClasses}.`,
    );
  }
}

interface PendingStudent {
  source: string;
  space: SearchSpace;
  genome: Genome;
  candidateId: string | null;
}

/**
 * Resolves the students of `selection` in order (genomes, then experiments, then random samples),
 * dropping repeats of the same architecture in the same space. Throws INVALID_INPUT for an empty
 * selection, an invalid genome (naming its index and the rule it breaks), an unknown or foreign
 * experiment, an experiment without completed candidates, and fewer than `minimum` distinct
 * students in all.
 */
export async function resolveStudents(
  prisma: PrismaClient,
  dataset: Dataset,
  selection: StudentSelectionInput,
  minimum: number,
): Promise<StudyStudent[]> {
  if (!selection.genomes && !selection.fromExperiments && !selection.random) {
    throw new AkdError(
      'INVALID_INPUT',
      'No students selected: give genomes, experiments to take the best candidates from, or a random sample.',
    );
  }
  const space = selection.space ?? datasetDefaultSpace(dataset);
  if (selection.space) checkSpaceFitsDataset(space, dataset, 'the students');
  const pending: PendingStudent[] = [];

  (selection.genomes ?? []).forEach((genome, index) => {
    try {
      validateGenome(space, genome);
    } catch (error) {
      throw new AkdError(
        'INVALID_INPUT',
        `Genome ${index + 1} of the students is invalid: ${(error as Error).message}`,
        { index },
        { cause: error },
      );
    }
    pending.push({ source: `genome ${index + 1}`, space, genome, candidateId: null });
  });

  if (selection.fromExperiments)
    pending.push(...(await bestOfExperiments(prisma, dataset, selection.fromExperiments)));

  if (selection.random) {
    const { count, seed } = selection.random;
    checkWholeNumber(count, 'random student count', 1, MAX_STUDY_STUDENTS);
    if (!Number.isInteger(seed))
      throw new AkdError('INVALID_INPUT', `Invalid random seed ${seed}: use a whole number.`);
    const rng = new Rng(seed);
    const hashes = new Set<string>();
    // Sampling stops after enough tries so that a tiny space cannot loop forever.
    for (let tries = 0; hashes.size < count && tries < count * 100; tries++) {
      const genome = sampleGenome(space, rng);
      const hash = genomeHash(space, genome);
      if (hashes.has(hash)) continue;
      hashes.add(hash);
      pending.push({ source: `random seed ${seed} #${hashes.size}`, space, genome, candidateId: null });
    }
  }

  const students = dedupe(pending);
  if (students.length < minimum) {
    throw new AkdError(
      'INVALID_INPUT',
      `A study needs at least ${minimum} distinct students, but the selection gives ${students.length}. Add genomes, raise topK or sample more.`,
      { students: students.length },
    );
  }
  if (students.length > MAX_STUDY_STUDENTS) {
    throw new AkdError(
      'INVALID_INPUT',
      `The selection gives ${students.length} students; a study takes at most ${MAX_STUDY_STUDENTS}.`,
    );
  }
  return students;
}

async function bestOfExperiments(
  prisma: PrismaClient,
  dataset: Dataset,
  selection: NonNullable<StudentSelectionInput['fromExperiments']>,
): Promise<PendingStudent[]> {
  checkWholeNumber(selection.topK, 'topK', 1, MAX_STUDY_STUDENTS);
  if (!Array.isArray(selection.experimentIds) || selection.experimentIds.length === 0) {
    throw new AkdError(
      'INVALID_INPUT',
      'fromExperiments lists no experiments; give at least one experiment id.',
    );
  }
  const students: PendingStudent[] = [];
  for (const id of selection.experimentIds) {
    const experiment = isUuid(id) ? await prisma.experiment.findUnique({ where: { id } }) : null;
    if (!experiment)
      throw new AkdError('NOT_FOUND', `Experiment ${id} does not exist.`, { experimentId: id });
    if (experiment.datasetId !== dataset.id) {
      throw new AkdError(
        'INVALID_INPUT',
        `Experiment ${experiment.name} (${id}) searched another dataset than ${dataset.name}, the teachers' dataset.`,
      );
    }
    const space = experiment.searchSpace as unknown as SearchSpace;
    checkSpaceFitsDataset(space, dataset, `experiment ${id}`);
    const best = await prisma.candidate.findMany({
      where: { experimentId: id, status: 'completed', reward: { not: null } },
      orderBy: [{ reward: 'desc' }, { id: 'asc' }],
      take: selection.topK,
    });
    if (best.length === 0) {
      throw new AkdError(
        'INVALID_INPUT',
        `Experiment ${experiment.name} (${id}) has no completed candidate yet, so it has no students to give.`,
      );
    }
    best.forEach((candidate, index) => {
      students.push({
        source: `experiment ${id} #${index + 1}`,
        space,
        genome: candidate.genome as unknown as Genome,
        candidateId: candidate.id,
      });
    });
  }
  return students;
}

/** Drops repeated (space, genome) pairs and gives the rest keys s1, s2, … */
function dedupe(pending: readonly PendingStudent[]): StudyStudent[] {
  const seen = new Set<string>();
  const students: StudyStudent[] = [];
  for (const student of pending) {
    const hash = genomeHash(student.space, student.genome);
    const identity = `${spaceFingerprint(student.space)}:${hash}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    const key = `s${students.length + 1}`;
    students.push(buildStudent(key, student, hash));
  }
  return students;
}

/** Describes one student with its key, label, cost and origin. */
export function buildStudent(
  key: string,
  student: { source: string; space: SearchSpace; genome: Genome; candidateId: string | null },
  hash = genomeHash(student.space, student.genome),
): StudyStudent {
  return {
    key,
    label: `${key} ${hash.slice(0, 8)} (${student.source})`,
    source: student.source,
    space: student.space,
    genome: student.genome,
    genomeHash: hash,
    architecture: describeGenome(student.space, student.genome),
    params: countParams(student.space, student.genome),
    flops: countFlops(student.space, student.genome),
    candidateId: student.candidateId,
  };
}
