import { loadDatasetAt, type DatasetLocation, type ImageDataset } from '@akd/data';

/**
 * Datasets loaded by this worker process, by format and path, so consecutive jobs of one
 * experiment read the files once. The least recently used dataset is dropped beyond
 * `maxEntries`.
 */
export class DatasetCache {
  private readonly entries = new Map<string, Promise<ImageDataset>>();

  constructor(private readonly maxEntries = 2) {}

  /** Returns the dataset at `location`, loading it on the first request. */
  readonly load = (location: DatasetLocation): Promise<ImageDataset> => {
    const key = `${location.format}:${location.path}`;
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
    } else {
      entry = loadDatasetAt(location);
      // A failed load is not cached, so the next job reads the files again.
      entry.catch(() => this.entries.delete(key));
    }
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries)
      this.entries.delete(this.entries.keys().next().value as string);
    return entry;
  };
}
