import { Invalid, type FieldError } from '../errors.js';
import type { TimerPayload } from './scheduler.js';

/**
 * Reads the payload a scheduler target receives (the object EventBridge
 * Scheduler hands the Lambda, or its JSON text) back into a `TimerPayload`,
 * keeping only the known fields. Throws `Invalid` naming every bad field.
 */
export function parseTimerPayload(input: unknown): TimerPayload {
  let value = input;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new Invalid('timer payload: not JSON', [{ path: '', message: 'not JSON' }]);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Invalid('timer payload: expected an object', [{ path: '', message: 'expected an object' }]);
  }
  const obj = value as Record<string, unknown>;
  const errors: FieldError[] = [];
  const text = (key: string): string => {
    const v = obj[key];
    if (typeof v !== 'string' || v.trim() === '') {
      errors.push({ path: key, message: 'expected a non-empty string' });
      return '';
    }
    return v;
  };
  let payload: TimerPayload | undefined;
  if (obj.kind === 'publish') {
    payload = { kind: 'publish', workspaceId: text('workspaceId'), postId: text('postId') };
  } else if (obj.kind === 'watchdog') {
    payload = { kind: 'watchdog', workspaceId: text('workspaceId'), accountId: text('accountId') };
  } else if (obj.kind === 'deliver') {
    payload = { kind: 'deliver', workspaceId: text('workspaceId'), deliveryId: text('deliveryId') };
  } else if (obj.kind === 'review-digest') {
    payload = { kind: 'review-digest', workspaceId: text('workspaceId'), voiceId: text('voiceId') };
  } else if (obj.kind === 'listen') {
    payload = { kind: 'listen', workspaceId: text('workspaceId'), accountId: text('accountId') };
  } else if (obj.kind === 'import-lease') {
    payload = { kind: 'import-lease', workspaceId: text('workspaceId'), jobId: text('jobId') };
  } else {
    errors.push({
      path: 'kind',
      message: "expected 'publish', 'watchdog', 'deliver', 'review-digest', 'listen' or 'import-lease'",
    });
  }
  if (errors.length > 0 || !payload) {
    throw new Invalid(`timer payload: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, errors);
  }
  return payload;
}
