import type { Bench } from './figure.js';

/** Every benchmark `npm run bench` runs, in order. */
export const benches: Bench[] = [];
