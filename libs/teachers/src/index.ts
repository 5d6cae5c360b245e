export * from './zoo.js';
export * from './npy.js';
export * from './train-teacher.js';
export * from './logits-cache.js';
export * from './model-cost.js';
export * from './logits-files.js';
export * from './ensemble.js';
export * from './model-import.js';
