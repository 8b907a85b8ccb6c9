import { startTestApi, type TestApi } from '../support/api.js';
import { ANNA, CLAIRE, acmeAccount } from '../support/bodies.js';

/** The in-process API of the people tests, a workspace (its owner key) and its two voices. */
export interface Team {
  api: TestApi;
  /** The workspace's owner key (nobody's voice). */
  key: string;
  ws: string;
  /** Anna Bell, the agency's author. */
  anna: string;
  /** Claire Dupont, the in-house approver. */
  claire: string;
  /** POSTs `body` to `path` with `as` (the owner key unless given) and returns the created resource's id. */
  create(path: string, body: unknown, as?: string): Promise<string>;
}

/** Starts the API over a fresh store on Monday 23 Nov 2026, 10:00 UTC, with a workspace, Anna and Claire. */
export async function startTeam(): Promise<Team> {
  const api = await startTestApi({ now: '2026-11-23T10:00:00Z' });
  const { key, id: ws } = await api.workspace();
  const create: Team['create'] = async (path, body, as = key) => {
    const r = await api.call('POST', path, { key: as, body });
    if (r.status >= 300) throw new Error(`POST ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  };
  return { api, key, ws, anna: await create('/v1/voices', ANNA), claire: await create('/v1/voices', CLAIRE), create };
}

/**
 * A post in another workspace (named `workspace`, with its own voice Zed and account O, `account` applied):
 * its id, which none of the team's links or sessions may reach. Its text is 'secret plans'.
 */
export async function foreignPost(api: TestApi, workspace: string, account: Record<string, unknown> = {}) {
  const other = await api.workspace(workspace);
  const create = async (path: string, body: unknown) =>
    (await api.call('POST', path, { key: other.key, body })).body.id as string;
  const voiceId = await create('/v1/voices', { name: 'Zed', affiliation: 'in_house' });
  const acc = await create('/v1/accounts', acmeAccount({ name: 'O', handle: '@o', timezone: 'UTC', ...account }));
  return create(`/v1/accounts/${acc}/posts`, { voiceId, text: 'secret plans', at: '2026-11-25T08:30:00Z' });
}
