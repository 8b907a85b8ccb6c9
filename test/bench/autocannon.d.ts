// autocannon ships no types; this is the part of its programmatic API the API bench uses.
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
    p99_9: number;
  }

  interface Options {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    amount?: number;
    pipelining?: number;
    workers?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    /** Replaces every `[<id>]` of the body with a fresh random id, request by request. */
    idReplacement?: boolean;
    /** Seconds before a request counts as a timeout. */
    timeout?: number;
    warmup?: { connections?: number; duration?: number };
    /** With `workers`, `setupRequest` is the path of a CommonJS module exporting the function. */
    requests?: {
      method?: string;
      path?: string;
      body?: string;
      setupRequest?: string | ((req: Record<string, unknown>, context: Record<string, unknown>) => unknown);
    }[];
  }

  interface Result {
    requests: Histogram;
    latency: Histogram & { totalCount: number };
    throughput: Histogram;
    /** Seconds. */
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    statusCodeStats: Record<string, { count: number }>;
    /** The warm-up's own results, when a warm-up was asked for. */
    warmup?: Result;
  }

  function autocannon(opts: Options): EventEmitter & Promise<Result>;
  export = autocannon;
}
