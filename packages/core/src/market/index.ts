export * from './price-csv.js';
export * from './rate-csv.js';
export * from './rate-on.js';
export * from './total-return.js';
export { parseDecimal, parseIsoDay } from './numbers.js';
