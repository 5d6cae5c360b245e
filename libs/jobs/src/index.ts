export * from './queues.js';
export * from './errors.js';
export * from './job-queue.js';
export * from './worker-status.js';
