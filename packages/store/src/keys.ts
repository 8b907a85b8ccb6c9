/** Key builders: one place that knows how items are addressed. */
export const keys = {
  workspace: (ws: string) => ({ pk: `WS#${ws}`, sk: 'WS' }),
  slug: (slug: string) => ({ pk: `SLUG#${slug}`, sk: 'SLUG' }),
  apiKey: (ws: string, id: string) => ({ pk: `WS#${ws}`, sk: `KEY#${id}` }),
  voice: (ws: string, id: string) => ({ pk: `WS#${ws}`, sk: `VOICE#${id}` }),
  account: (ws: string, id: string) => ({ pk: `WS#${ws}`, sk: `ACCOUNT#${id}` }),
  idempotency: (ws: string, key: string) => ({ pk: `WS#${ws}`, sk: `IDEM#${key}` }),
  channelSession: (ws: string, account: string) => ({ pk: `WS#${ws}`, sk: `CHANSESSION#${account}` }),
  listenState: (ws: string, account: string) => ({ pk: `WS#${ws}`, sk: `LISTEN#${account}` }),
  signingKey: (ws: string) => ({ pk: `WS#${ws}`, sk: 'SIGNING_KEY' }),
  linkSecret: (ws: string) => ({ pk: `WS#${ws}`, sk: 'LINK_SECRET' }),
  reviewDigest: (ws: string, voice: string) => ({ pk: `WS#${ws}`, sk: `REVIEWDIGEST#${voice}` }),
  /** Outside the workspace partitions: what uses an address (email-ref-repo.ts). */
  emailRef: (address: string, ws: string, kind: 'ACCOUNT' | 'VOICE', id: string) => ({
    pk: `EMAIL#${address}`,
    sk: `WS#${ws}#${kind}#${id}`,
  }),
};

/** The partition of a workspace. */
export const wsPk = (ws: string) => `WS#${ws}`;
