export * from './correlation-congruence.js';
export * from './features.js';
export * from './route.js';
export * from './route-distillation.js';
export * from './teacher-assistant.js';
