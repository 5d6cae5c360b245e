import { datasetFingerprint, type DatasetLocation, type ImageDataset } from '@akd/data';
import type { Dataset, PrismaClient } from '@akd/db';

/**
 * Records `dataset` (loaded from `location`) once, keyed by its content fingerprint, and returns
 * its row. A dataset already registered under another name keeps its row.
 */
export async function registerDataset(
  prisma: PrismaClient,
  location: DatasetLocation,
  dataset: ImageDataset,
): Promise<Dataset> {
  const fingerprint = datasetFingerprint(dataset);
  const existing = await prisma.dataset.findUnique({ where: { fingerprint } });
  if (existing) return existing;
  return prisma.dataset.create({
    data: {
      name: dataset.name,
      kind: location.format === 'cifar-10' ? 'cifar10' : 'idx',
      directory: location.path,
      inputHeight: dataset.shape[0],
      inputWidth: dataset.shape[1],
      inputChannels: dataset.shape[2],
      numClasses: dataset.numClasses,
      classNames: dataset.classNames,
      trainCount: dataset.train.count,
      testCount: dataset.test.count,
      fingerprint,
    },
  });
}

/** Returns where to load the dataset of `row` from. */
export function datasetLocation(row: Dataset): DatasetLocation {
  const format =
    row.kind === 'cifar10' ? 'cifar-10' : row.name.startsWith('fashion-mnist') ? 'fashion-mnist' : 'idx';
  return { format, name: row.name, path: row.directory, reason: `registered dataset ${row.name}` };
}
