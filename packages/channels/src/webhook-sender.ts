import type { WebhookSender } from '@drumbeat/core';
import { sendSignedWebhook } from './signed-webhook.js';

/** The core WebhookSender port over the signed, egress-safe sender: what outbound subscriptions deliver through. */
export function signedWebhookSender(opts: { allowPrivate: boolean; timeoutMs: number }): WebhookSender {
  return {
    async send(req) {
      const r = await sendSignedWebhook({ ...req, timeoutMs: opts.timeoutMs, allowPrivate: opts.allowPrivate });
      return {
        ok: r.ok,
        retryable: r.retryable,
        durationMs: r.durationMs,
        ...(r.status !== undefined ? { status: r.status } : {}),
        ...(r.retryAfterMs !== undefined ? { retryAfterMs: r.retryAfterMs } : {}),
        ...(r.error !== undefined ? { error: r.error } : {}),
      };
    },
  };
}
