export { parseDurationMs, durationMs } from './duration.js';
export { canonicalZone } from './zone.js';
export { toIso, parseInstant, toLocal } from './instant.js';
export { durationInWords } from './duration-in-words.js';
