export * from './backend/index.js';
export * from './model/student.js';
