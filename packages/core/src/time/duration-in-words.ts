import { humanDuration } from '../alerts/human-duration.js';
import { parseDurationMs } from '@drumbeat/standards/time';

const WEEK = 7 * 86_400_000;

/**
 * A duration as people read it, from an ISO 8601 duration or milliseconds:
 * "PT30S" → "30 seconds", "P7D" → "7 days", "PT48H" → "2 days",
 * "P4W" → "4 weeks", "PT90M" → "90 minutes". Whole weeks from two up read
 * as weeks. A text that is not a fixed-length duration comes back as it is,
 * so a page never fails over a word.
 */
export function durationInWords(duration: string | number): string {
  let ms: number;
  if (typeof duration === 'number') ms = duration;
  else {
    const parsed = parseDurationMs(duration);
    if ('error' in parsed) return duration;
    ms = parsed.ms;
  }
  if (ms >= 2 * WEEK && ms % WEEK === 0) return `${ms / WEEK} weeks`;
  return humanDuration(ms);
}
