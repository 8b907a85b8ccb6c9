/** One measured figure of a benchmark, as `npm run bench` prints and saves it. */
export interface Figure {
  /** What was measured, e.g. "cadence: slots+gaps, 10,000 accounts × 30 days". */
  name: string;
  value: number;
  unit: string;
  /** A baseline measured in the same run, when the budget is relative. */
  baseline?: { name: string; value: number; unit: string };
  /** value / baseline.value (or the budget's own ratio), when meaningful. */
  ratio?: number;
  /** The budget in words, e.g. "< 1000 ms on one core". */
  budget?: string;
  /** Whether the figure is within its budget; undefined when it is only reported. */
  ok?: boolean;
}

/** A benchmark: a name and a function measuring its figures. `quick` shrinks sizes for smoke runs. */
export interface Bench {
  name: string;
  run(opts: { quick: boolean; progress: (msg: string) => void }): Promise<Figure[]>;
}

/** A bench named `name` whose figures `measure` takes. */
export function benchOf(
  name: string,
  measure: (quick: boolean, progress: (msg: string) => void) => Promise<Figure[]>,
): Bench {
  return { name, run: ({ quick, progress }) => measure(quick, progress) };
}
