export * from './errors.js';
export * from './rng.js';
export * from './logger.js';
