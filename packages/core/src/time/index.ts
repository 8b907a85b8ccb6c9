export { parseDurationMs, durationMs, canonicalZone, toIso, parseInstant, toLocal } from '@drumbeat/standards/time';
export { durationInWords } from './duration-in-words.js';
