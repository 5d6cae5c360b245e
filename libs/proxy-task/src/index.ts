export * from './settings.js';
export * from './proxy-task.js';
export * from './pool.js';
