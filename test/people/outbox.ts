import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';

/** Every email in an outbox dir, oldest first, parsed. */
export async function outbox(dir: string): Promise<ParsedMail[]> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .sort();
  return Promise.all(files.map((f) => simpleParser(readFileSync(join(dir, f)))));
}

/** The addresses an email went to. */
export function recipients(m: ParsedMail): string[] {
  const to = Array.isArray(m.to) ? m.to : m.to ? [m.to] : [];
  return to.flatMap((a) => a.value.map((v) => v.address ?? ''));
}

/** The action link (`…/a/<token>`) in a mail's text, without its query. */
export function linkIn(text: string | undefined): string {
  const m = /(https?:\/\/[^\s]+\/a\/[A-Za-z0-9._-]+)/.exec(text ?? '');
  if (!m) throw new Error(`no action link in: ${text}`);
  return m[1]!;
}
