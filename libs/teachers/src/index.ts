export * from './zoo.js';
export * from './npy.js';
export * from './train-teacher.js';
export * from './logits-cache.js';
