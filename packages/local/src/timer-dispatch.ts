import type { Services } from '@drumbeat/services';
import type { TimerHandler } from './scheduler/index.js';
import type { Logger } from './logger.js';

/** Routes each fired timer to its use-case: the embedded runtime's counterpart of the Lambda scheduler targets. */
export function dispatchTimers(services: Services, logger: Logger): TimerHandler {
  return async (payload, meta) => {
    switch (payload.kind) {
      case 'publish': {
        const outcome = await services.publisher.run(payload);
        if (outcome !== 'nothing-to-do')
          logger.info({ post: payload.postId, outcome, latenessMs: meta.latenessMs }, 'publish timer');
        return;
      }
      case 'deliver':
        return services.webhooks.deliver(payload);
      case 'watchdog': {
        const r = await services.watchdog.run(payload);
        if (r.opened.length || r.resolved.length || r.notified.length)
          logger.info(
            { account: payload.accountId, opened: r.opened, resolved: r.resolved, notified: r.notified, next: r.next },
            'watchdog timer',
          );
        return;
      }
      case 'review-digest': {
        const r = await services.reviewDigests.run(payload);
        if (r.sent.length) logger.info({ voice: payload.voiceId, posts: r.sent }, 'approval request digest');
        return;
      }
      case 'listen': {
        const r = await services.listening.run(payload);
        if (r.error || r.created || r.answeredOutside)
          logger.info(
            {
              account: payload.accountId,
              received: r.received,
              created: r.created,
              answeredOutside: r.answeredOutside,
              error: r.error,
              next: r.next,
            },
            'listen timer',
          );
        return;
      }
      case 'import-lease':
        // Import jobs (and their leases) exist on AWS only (functions/import-job-run.ts); this runtime imports in the request.
        return;
      default:
        throw new Error(`no handler for ${(payload as { kind: string }).kind} timers yet`);
    }
  };
}
