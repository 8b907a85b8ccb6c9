import type { CompiledRule } from './compiled-rule.js';

/** Where a rule starts: the anchor's epoch day number and the instant its day begins (DTSTART). */
export interface AnchorPoint {
  day: number;
  ms: number;
}

/**
 * Appends to `out` the occurrences of `rule` (DTSTART at `anchor`, in
 * `zone`) in [fromMs, toMs), ascending and distinct, at most `limit` of them:
 * one expander a kind of frequency (daily-and-longer.ts, sub-daily.ts).
 */
export type Expander = (
  rule: CompiledRule,
  zone: string,
  anchor: AnchorPoint,
  fromMs: number,
  toMs: number,
  limit: number,
  out: number[],
) => void;

/** [lo, hi): the part of [fromMs, toMs) between the rule's DTSTART and its UNTIL; undefined when that is empty. */
export function ruleSpan(
  rule: CompiledRule,
  anchor: AnchorPoint,
  fromMs: number,
  toMs: number,
): [lo: number, hi: number] | undefined {
  const lo = Math.max(fromMs, anchor.ms);
  const hi = Math.min(toMs, rule.untilMs + 1);
  return lo < hi ? [lo, hi] : undefined;
}
