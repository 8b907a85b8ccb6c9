import { wsPk } from './workspace-keys.js';

/**
 * An approver's review digest, at `REVIEWDIGEST#<voiceId>` in the workspace partition.
 *
 * Access patterns:
 * - read, put, update: Get / Put / Update `WS#<ws>` / `REVIEWDIGEST#<voice>` (ReviewDigestRepo, services' review digest)
 */
export const reviewDigestKey = (ws: string, voice: string) => ({ pk: wsPk(ws), sk: `REVIEWDIGEST#${voice}` });
