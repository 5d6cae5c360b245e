import type { QueueName } from './queues.js';

/** One job a worker process runs, as stored in `workers.current_job`. */
export interface WorkerJobRecord {
  /** Queue of the job. */
  kind: QueueName;
  /** Id of the row the job works on (experiment, candidate, teacher, trained model or study cell). */
  id: string;
  /** pg-boss job id. */
  jobId: string;
  /** ISO 8601 time the job started on this worker. */
  startedAt: string;
}

/**
 * Value of `workers.current_job` while a worker runs jobs (it is null when idle): the most
 * recently started job, and in `running` every job the worker runs, oldest first.
 */
export interface WorkerCurrentJob extends WorkerJobRecord {
  running: WorkerJobRecord[];
}
