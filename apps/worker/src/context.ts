import type { ChildProcess } from 'node:child_process';
import type { PrismaClient } from '@akd/db';
import type { JobQueue } from '@akd/jobs';
import type { ProxyTaskPool } from '@akd/proxy-task';
import type { WorkerConfig } from './config.js';
import type { DatasetCache } from './dataset-cache.js';
import type { RowLocks } from './row-locks.js';

/** Resources shared by the job handlers of one worker process. */
export interface WorkerContext {
  prisma: PrismaClient;
  /** URL of the database, passed to training processes. Contains the password: never log it. */
  databaseUrl: string;
  queue: JobQueue;
  locks: RowLocks;
  /** Processes that train candidates. */
  pool: ProxyTaskPool;
  datasets: DatasetCache;
  config: WorkerConfig;
  /** Host name recorded on the rows this worker trains. */
  host: string;
  /** Fires when the worker starts to stop. */
  stopping: AbortSignal;
  /** Running teacher and final-model training processes, ended when the worker stops. */
  trainingProcesses: Set<ChildProcess>;
}
