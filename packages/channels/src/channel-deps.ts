import { createSafeFetch, type FetchLike } from './safe-fetch.js';

/** What every channel needs: the timeout of a publish, the egress rule, and optionally another fetch. */
export interface ChannelDeps {
  /** Bound of one publish call, all its HTTP requests included. */
  timeoutMs: number;
  /** See EgressPolicy: true in the embedded runtime, false on AWS. */
  allowPrivate: boolean;
  /** Replaces the safe fetch (which enforces the egress rule); whoever passes one owns that rule. */
  fetch?: FetchLike;
}

/** The fetch a channel uses: the injected one, or a safe fetch bounded by the deps' timeout. */
export function channelFetch(deps: ChannelDeps): FetchLike {
  return deps.fetch ?? createSafeFetch({ allowPrivate: deps.allowPrivate, timeoutMs: deps.timeoutMs });
}

/** A deadline shared by the HTTP calls of one publish: `init()` gives each call the time that is left. */
export function deadline(timeoutMs: number): { init(): { timeoutMs: number; signal: AbortSignal } } {
  const end = Date.now() + timeoutMs;
  return {
    init() {
      const left = Math.max(1, end - Date.now());
      return { timeoutMs: left, signal: AbortSignal.timeout(left) };
    },
  };
}
