export * from './contracts/meta.js';
export * from './contracts/problem.js';
export * from './contracts/identity.js';
