export * from './model/layer-factory.js';
export * from './model/io.js';
export * from './model/latency.js';
export * from './train/losses.js';
export * from './train/trainer.js';
export * from './train/evaluate.js';
