import { AFFILIATIONS, assistantDrafted, NotFound, type AccountRecord, type Transparency } from '@drumbeat/core';
import type { ServiceDeps } from './deps.js';
import type { LedgerService } from './ledger.js';

const DAYS = 90;

/** The handle as it appears in a URL: case-insensitive, with or without its leading @. */
function sameHandle(a: string, b: string): boolean {
  const norm = (h: string) => h.replace(/^@/, '').toLowerCase();
  return norm(a) === norm(b);
}

/**
 * The public face of an account that opted in (`disclosure.publicPage`): who
 * speaks for it, by affiliation and organization, over the last 90 days of
 * the attribution ledger, the approval policy and the last publication.
 * Nothing private: no emails, keys or unpublished text. Off (or unknown) → 404.
 * It also carries the workspace's checkpoint public key and latest signed
 * ledger head, so anyone archiving the page can audit the ledger later.
 */
export class TransparencyService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly ledger: LedgerService,
  ) {}

  /** The account's page, found by workspace slug and handle. */
  async page(slug: string, handle: string): Promise<Transparency> {
    const gone = new NotFound('no public page here');
    const ws = await this.deps.store.workspaces.findBySlug(slug);
    if (!ws) throw gone;
    const account = await this.findAccount(ws.id, handle);
    if (!account) throw gone;
    const now = this.deps.clock.now();
    const from = new Date(now.getTime() - DAYS * 86_400_000);
    const entries = await this.deps.store.ledger.recentByAccount(ws.id, account.id, from.toISOString());
    const byVoice = new Map<string, Transparency['voices'][number]>();
    const byAffiliation = new Map<string, number>();
    for (const e of entries) {
      const v = byVoice.get(e.voice.id) ?? {
        name: e.voice.name,
        affiliation: e.voice.affiliation,
        organization: e.voice.organization,
        posts: 0,
        answers: 0,
      };
      // An answer (ledger kind `reply`) is counted apart: who answers people is part of who voices the account.
      if (e.kind === 'reply') v.answers++;
      else v.posts++;
      byVoice.set(e.voice.id, v);
      byAffiliation.set(e.voice.affiliation, (byAffiliation.get(e.voice.affiliation) ?? 0) + 1);
    }
    const share: Record<string, number> = {};
    for (const a of AFFILIATIONS)
      share[a] = entries.length ? Math.round(((byAffiliation.get(a) ?? 0) / entries.length) * 1000) / 1000 : 0;
    const last = entries[0];
    const assisted = entries.filter(assistantDrafted).length;
    const publicKey = await this.ledger.publicKey(ws.id);
    const latest = publicKey ? await this.ledger.latestCheckpoint(ws.id) : undefined;
    return {
      workspace: { name: ws.name, slug: ws.slug },
      account: { name: account.name, network: account.network, handle: account.handle },
      window: { from: from.toISOString(), to: now.toISOString(), days: DAYS },
      voices: [...byVoice.values()].sort(
        (a, b) => b.posts + b.answers - (a.posts + a.answers) || a.name.localeCompare(b.name),
      ),
      shareByAffiliation: share,
      publications: entries.length,
      answers: entries.filter((e) => e.kind === 'reply').length,
      assisted: {
        posts: assisted,
        of: entries.length,
        text: `${assisted} of ${entries.length} posts this quarter (the last ${DAYS} days) were drafted with an assistant`,
      },
      approval: {
        required: account.approval?.required ?? false,
        ...(account.approval?.required && account.approval.requiredFor
          ? { requiredFor: account.approval.requiredFor }
          : {}),
        approvers: account.approval?.approvers?.length ?? 0,
        sla: account.approval?.sla ?? null,
      },
      signature: account.disclosure?.signature ?? 'none',
      lastPublication: last
        ? { at: last.publishedAt, url: last.externalUrl, voice: last.voice.name, affiliation: last.voice.affiliation }
        : null,
      checkpoints: publicKey ? { algorithm: 'Ed25519', publicKey, latest: latest ?? null } : null,
    };
  }

  private async findAccount(ws: string, handle: string): Promise<AccountRecord | undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.deps.store.accounts.list(ws, { limit: 200, cursor });
      const hit = page.items.find((a) => !a.archivedAt && a.disclosure?.publicPage && sameHandle(a.handle, handle));
      if (hit) return hit;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return undefined;
  }
}
