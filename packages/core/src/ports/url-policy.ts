/**
 * Decides whether drumbeat may call a URL (channel endpoints, webhook
 * subscriptions). Throws an Invalid naming `path` when it may not.
 */
export interface UrlPolicy {
  check(url: string, path: string): Promise<void>;
}

/** A policy that allows everything: for tests that are not about egress. */
export const allowAllUrls: UrlPolicy = { check: async () => {} };
