/** Jobs of one queue that wait to start (`queued`, retries included) and that run (`active`). */
export interface QueueDepth {
  queued: number;
  active: number;
}

/**
 * The Postgres job queue that workers consume, as `@akd/jobs` exposes it. The API only enqueues
 * and reads the depth. Each job carries the id of a row that the worker loads and updates.
 * Services receive it through the JOB_QUEUE token, so that tests can pass a recording fake.
 */
export interface JobQueue {
  enqueueSearch(experimentId: string): Promise<unknown>;
  enqueueTeacherTraining(teacherId: string): Promise<unknown>;
  enqueueFinalTraining(trainedModelId: string): Promise<unknown>;
  enqueueStudyCell(studyCellId: string): Promise<unknown>;
  /** Jobs waiting and running, per queue name. */
  queueDepth(): Promise<Record<string, QueueDepth>>;
  stop(): Promise<void>;
}

/** Returns the number of jobs waiting or running over all queues. */
export function totalDepth(depth: Record<string, QueueDepth>): number {
  return Object.values(depth).reduce((sum, queue) => sum + queue.queued + queue.active, 0);
}
