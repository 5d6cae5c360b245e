import { Logger } from '@akd/core';
import { locateDefaultDataset, loadDatasetAt, type DatasetLocation, type ImageDataset } from '@akd/data';
import { openDatabase, type Database, type Dataset } from '@akd/db';
import { initBackend, type BackendInfo } from '@akd/engine';
import { registerDataset } from '@akd/runner';

/** Resources that every data-touching command opens first. */
export interface CommandContext {
  db: Database;
  backend: BackendInfo;
  location: DatasetLocation;
  dataset: ImageDataset;
  datasetRow: Dataset;
  log: Logger;
}

/** Picks the backend, opens the database and loads and registers the default dataset. */
export async function openContext(name: string): Promise<CommandContext> {
  const log = new Logger(name);
  const backend = await initBackend();
  const location = locateDefaultDataset();
  const db = await openDatabase({ logger: new Logger('db') });
  try {
    const dataset = await loadDatasetAt(location);
    const datasetRow = await registerDataset(db.prisma, location, dataset);
    log.info('dataset ready', { name: dataset.name, train: dataset.train.count, test: dataset.test.count });
    return { db, backend, location, dataset, datasetRow, log };
  } catch (error) {
    await db.close();
    throw error;
  }
}
