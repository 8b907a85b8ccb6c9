/**
 * The browser tests' set-up: `npm start`'s runtime as a child process over a
 * fresh data folder (with a real SMTP server on loopback for its mail, when
 * asked), and real headless Chromium. `close` undoes it all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startDrumbeatProcess, type Started } from '../support/process.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../support/smtp-sink.js';
import { launchChromium } from './chromium.js';

export interface E2eRuntime {
  proc: Started;
  browser: Browser;
  /** Calls the runtime's JSON API with the owner key and returns the parsed body. */
  api(method: string, path: string, body?: unknown): Promise<any>;
  /** POSTs `body` to `path` with the owner key and returns the created resource's id. */
  create(path: string, body: unknown): Promise<string>;
  /** The first mail to `address` that `match` accepts, waited for (mail only). */
  mailTo(address: string, match?: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/** The sender the runtime is given when it has mail. */
const MAIL_FROM = 'drumbeat <drumbeat@acme.example>';

/**
 * Starts the runtime with `env` (its data in a fresh folder named after `prefix`) and Chromium;
 * with `mail`, an SMTP sink too, the runtime sending to it.
 */
export async function startE2eRuntime(
  opts: { prefix?: string; env?: Record<string, string>; mail?: boolean; timeoutMs?: number } = {},
): Promise<E2eRuntime> {
  const closers: (() => unknown)[] = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c();
  };
  try {
    const dataDir = mkdtempSync(join(tmpdir(), opts.prefix ?? 'drumbeat-e2e-'));
    closers.push(() => rmSync(dataDir, { recursive: true, force: true }));
    let sink: SmtpSink | undefined;
    if (opts.mail) {
      const s = await startSmtpSink();
      closers.push(() => s.close());
      sink = s;
    }
    const mailEnv: Record<string, string> = sink ? { DRUMBEAT_SMTP_URL: sink.url, DRUMBEAT_MAIL_FROM: MAIL_FROM } : {};
    const proc = await startDrumbeatProcess({ DRUMBEAT_DATA_DIR: dataDir, ...mailEnv, ...opts.env }, opts.timeoutMs);
    closers.push(() => proc.stop());
    const browser = await launchChromium();
    closers.push(() => browser.close());
    const api: E2eRuntime['api'] = async (method, path, body) => {
      const res = await fetch(`${proc.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${proc.ownerKey}`, 'Content-Type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return res.json();
    };
    return {
      proc,
      browser,
      api,
      async create(path, body) {
        const { id } = await api('POST', path, body);
        if (typeof id !== 'string') throw new Error(`POST ${path} created nothing`);
        return id;
      },
      async mailTo(address, match = () => true, timeoutMs = 20_000) {
        if (!sink) throw new Error('this runtime was started without mail');
        const until = Date.now() + timeoutMs;
        for (;;) {
          const m = sink.received.find((r) => r.envelope.to.map((t) => t.toLowerCase()).includes(address) && match(r));
          if (m) return m;
          if (Date.now() > until)
            throw new Error(
              `no mail to ${address} matching; got ${sink.received.map((r) => r.parsed.subject).join(' | ')}`,
            );
          await new Promise((r) => setTimeout(r, 200));
        }
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
