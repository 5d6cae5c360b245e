export * from './dataset.js';
export * from './idx.js';
export * from './idx-dataset.js';
export * from './cifar10.js';
export * from './tar.js';
export * from './default-dataset.js';
export * from './split.js';
export * from './batches.js';
export { gzipDeterministic, isGzip, readFileDecompressed } from './compression.js';
