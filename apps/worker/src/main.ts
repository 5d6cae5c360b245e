// Entry point of a worker process: `npx tsx apps/worker/src/main.ts`. Settings come from the
// environment (see config.ts and README.md). SIGTERM or SIGINT stops it gracefully, a second
// signal exits at once.
import { Logger } from '@akd/core';
import { workerConfigFromEnv, type WorkerConfig } from './config.js';
import { JobWorker } from './job-worker.js';

const log = new Logger('worker', { pid: process.pid });

// pg-boss 10 completes and fails jobs without awaiting the query, so a database outage at that
// moment surfaces here. The job then stays active until its expiry and runs again.
process.on('unhandledRejection', (reason) => {
  log.error('Unhandled promise rejection; the worker carries on', { error: reason });
});

let config: WorkerConfig;
try {
  config = workerConfigFromEnv();
} catch (error) {
  log.error('Invalid worker configuration', { error });
  process.exit(2);
}

const worker = new JobWorker(config);
let signals = 0;
const onSignal = (signal: NodeJS.Signals): void => {
  signals++;
  if (signals === 1) {
    log.info('Stopping: running jobs get the grace period, then are released', { signal });
    void worker.stop().then(() => process.exit(0));
    return;
  }
  log.warn('Second signal: exiting now; the running jobs will be retried', { signal });
  process.exit(130);
};
process.on('SIGTERM', onSignal);
process.on('SIGINT', onSignal);

try {
  await worker.start();
} catch (error) {
  log.error('Worker failed to start', { error });
  await worker.stop();
  process.exit(1);
}
