export * from './conventions.js';
export * from './rules.js';
export * from './round.js';
export * from './calculate.js';
export * from './validate.js';
export * from './json.js';
