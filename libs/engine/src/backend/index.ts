export * from './init.js';
export * from './register-wasm-kernels.js';
