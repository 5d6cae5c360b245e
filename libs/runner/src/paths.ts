import { resolve, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the data directory: `AKD_DATA_DIR`, or `var/` in the working directory. */
export function dataDir(): string {
  return resolve(process.env.AKD_DATA_DIR || './var');
}

/** Directory of trained models, teacher logits and other artifacts. */
export function artifactDir(): string {
  return join(dataDir(), 'artifacts');
}

/** Directory of teacher weights committed with the repository, per dataset name and teacher. */
export const SHIPPED_TEACHERS_DIR = fileURLToPath(new URL('../../../data/teachers', import.meta.url));
