export * from './contracts/meta.js';
export * from './contracts/problem.js';
export * from './contracts/identity.js';
export * from './contracts/market.js';
export * from './market/index.js';
export * from './contracts/margin.js';
export * from './margin/index.js';
