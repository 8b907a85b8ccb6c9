import { wsPk } from './workspace-keys.js';

/**
 * Voices (the people who speak through accounts), at `VOICE#<id>` in the workspace partition (a Collection).
 *
 * Access patterns:
 * - one voice: GetItem `WS#<ws>` / `VOICE#<id>` (VoiceRepo, getAccountAndVoice)
 * - the voices of a workspace: Query `WS#<ws>`, begins_with `VOICE#` (VoiceRepo.list)
 */
export const VOICE_PREFIX = 'VOICE';
export const voiceKey = (ws: string, id: string) => ({ pk: wsPk(ws), sk: `${VOICE_PREFIX}#${id}` });
