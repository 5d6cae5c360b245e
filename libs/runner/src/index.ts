export * from './paths.js';
export * from './datasets.js';
export * from './teachers.js';
export * from './logits.js';
export * from './experiments.js';
export * from './prisma-search-store.js';
export * from './leaderboard.js';
