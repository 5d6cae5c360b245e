// Data that the browser test and the web benchmark start from: the committed Fashion-MNIST subset
// and its shipped VGG-like teacher, recorded the way the demo records them.
import { loadDatasetAt, locateDefaultDataset, type ImageDataset } from '@akd/data';
import type { Dataset, PrismaClient, Teacher } from '@akd/db';
import { initBackend } from '@akd/engine';
import { ensureZooTeachers, registerDataset } from '@akd/runner';

/** The registered subset and its loaded images. */
export interface SeededDataset {
  row: Dataset;
  dataset: ImageDataset;
}

/** Registers the committed subset `data/fashion-mnist-subset`. */
export async function seedSubset(prisma: PrismaClient): Promise<SeededDataset> {
  const location = locateDefaultDataset({ env: { AKD_DATASET: 'fashion-mnist-subset' } });
  const dataset = await loadDatasetAt(location);
  return { row: await registerDataset(prisma, location, dataset), dataset };
}

/**
 * Records the shipped VGG-like teacher of the subset as ready. Its weights are imported from
 * `data/teachers` and scored on the test split, which takes seconds; the model files are written
 * under AKD_DATA_DIR, which must be set before this runs.
 */
export async function seedShippedTeacher(prisma: PrismaClient, seeded: SeededDataset): Promise<Teacher> {
  await initBackend();
  const [teacher] = await ensureZooTeachers(prisma, seeded.row, seeded.dataset, { names: ['vgg'] });
  return teacher;
}
