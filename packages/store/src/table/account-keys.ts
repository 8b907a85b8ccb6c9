import { wsPk } from './workspace-keys.js';

/**
 * Accounts (a voice's presence on a network) and the per-account items beside
 * them in the workspace partition: the channel session and the listen state.
 *
 * Access patterns:
 * - one account: GetItem `WS#<ws>` / `ACCOUNT#<id>` (Store.accounts, getAccountAndVoice)
 * - the accounts of a workspace: Query `WS#<ws>`, begins_with `ACCOUNT#` (Store.accounts.list)
 * - the channel session: Get / Put `WS#<ws>` / `CHANSESSION#<account>` (ChannelSessionRepo)
 * - the listen state: Get / conditional Put `WS#<ws>` / `LISTEN#<account>` (ListenStateRepo)
 */
export const ACCOUNT_PREFIX = 'ACCOUNT';
export const accountKey = (ws: string, id: string) => ({ pk: wsPk(ws), sk: `${ACCOUNT_PREFIX}#${id}` });
export const channelSessionKey = (ws: string, account: string) => ({ pk: wsPk(ws), sk: `CHANSESSION#${account}` });
export const listenStateKey = (ws: string, account: string) => ({ pk: wsPk(ws), sk: `LISTEN#${account}` });
