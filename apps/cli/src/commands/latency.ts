import { hostname } from 'node:os';
import { AkdError, Logger } from '@akd/core';
import { loadDatasetAt, locateDefaultDataset } from '@akd/data';
import { openDatabase } from '@akd/db';
import {
  backendLabel,
  deviceLabel,
  formatShape,
  initBackend,
  measureLatencyProfile,
  type BackendName,
  type MeasureProfileOptions,
} from '@akd/engine';
import { latencyProfileNameTaken, MAX_PROFILE_NAME_LENGTH, storeLatencyProfile } from '@akd/runner';
import { defaultSearchSpace } from '@akd/search-space';
import { createProgress, type Progress } from '../progress.js';

/** Options of `akd latency profile`. */
export interface LatencyProfileOptions {
  name?: string;
  /** Dataset whose input shape and classes size the search space, as `AKD_DATASET` names it. */
  dataset?: string;
  backend?: BackendName;
  warmupRuns?: number;
  runs?: number;
  networks?: number;
  json?: boolean;
}

/**
 * `akd latency profile`: measures every layer configuration of the default search space of a
 * dataset on this machine's backend, fits latency against FLOPs on random students, and stores
 * the result as a latency profile for `table` and `flops` experiments.
 */
export async function runLatencyProfile(options: LatencyProfileOptions): Promise<void> {
  const log = new Logger('latency');
  if (
    options.name !== undefined &&
    (options.name.trim() === '' || options.name.length > MAX_PROFILE_NAME_LENGTH)
  ) {
    throw latencyNameError(options.name);
  }
  const backend = await initBackend({ backend: options.backend });
  const env = options.dataset === undefined ? process.env : { ...process.env, AKD_DATASET: options.dataset };
  const location = locateDefaultDataset({
    env,
    ...(options.dataset === undefined ? {} : { setting: '--dataset' }),
  });
  const db = await openDatabase({ logger: new Logger('db') });
  let bar: Progress | null = null;
  try {
    const dataset = await loadDatasetAt(location);
    const space = defaultSearchSpace(dataset.shape, dataset.numClasses);
    const name =
      options.name ??
      `${hostname()} ${backend.name} ${formatShape(dataset.shape)} ${new Date().toISOString().slice(0, 16)}`;
    // Checked before measuring, which takes minutes; the insert checks again.
    if (await db.prisma.latencyProfile.findUnique({ where: { name }, select: { id: true } })) {
      throw latencyProfileNameTaken(name);
    }

    log.info('measuring latency profile', {
      name,
      dataset: dataset.name,
      inputShape: formatShape(dataset.shape),
      backend: backendLabel(backend),
    });
    const measureOptions: MeasureProfileOptions = {
      warmupRuns: options.warmupRuns,
      runs: options.runs,
      networks: options.networks,
      onProgress: (progress) => {
        bar ??= createProgress(`time ${progress.phase}`, progress.total);
        bar.update(progress.done);
        if (progress.done === progress.total) {
          bar.stop();
          bar = null;
        }
      },
    };
    const profile = await measureLatencyProfile(space, withoutUndefined(measureOptions));
    const row = await storeLatencyProfile(db.prisma, profile, name);

    const summary = {
      id: row.id,
      name: row.name,
      dataset: dataset.name,
      device: deviceLabel(profile.device),
      backend: backendLabel(profile.backend),
      inputShape: profile.inputShape,
      parts: Object.keys(profile.entries).length,
      networks: profile.networks.length,
      seconds: Number((profile.durationMs / 1000).toFixed(1)),
      callOverheadMs: profile.callOverheadMs,
      networkOverheadMs: profile.networkOverheadMs,
      flopsFit: profile.flopsFit,
    };
    const fit = profile.flopsFit;
    process.stdout.write(
      `Stored latency profile "${row.name}" (id ${row.id}): ${summary.parts} layer configurations of the default ` +
        `${formatShape(dataset.shape)} search space on ${summary.backend}, ${summary.device}, in ${summary.seconds} s.\n` +
        `Network overhead ${profile.networkOverheadMs.toFixed(3)} ms; FLOPs fit ` +
        (fit
          ? `${(fit.slopeMsPerFlop * 1e6).toFixed(4)} ms per million multiply-adds + ${fit.interceptMs.toFixed(3)} ms, R² ${fit.r2.toFixed(3)}.\n`
          : 'none (fewer than two students were timed).\n') +
        `Use it with latencyModel TABLE${fit ? ' or FLOPS' : ''} and latencyProfileId ${row.id}.\n`,
    );
    if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    (bar as Progress | null)?.stop();
    await db.close();
  }
}

function latencyNameError(name: string): AkdError {
  return new AkdError(
    'INVALID_INPUT',
    `Invalid --name "${name.slice(0, 120)}": use 1 to ${MAX_PROFILE_NAME_LENGTH} characters.`,
  );
}

/** Returns `options` without the fields that are undefined, so the measurement's defaults apply. */
function withoutUndefined<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as T;
}
