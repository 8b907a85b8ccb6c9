import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ManualClock, type MailMessage } from '@drumbeat/core';
import { simpleParser } from 'mailparser';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutboxMailer, outboxFileName } from '../../packages/local/src/mail/index.js';

const FROM = 'Drumbeat <alerts@drumbeat.example>';

const message: MailMessage = {
  to: ['owner@brand.example'],
  subject: 'Empty slots next week on @brand',
  text: 'Three slots have no post yet.',
  html: '<p>Three slots have <em>no post</em> yet.</p>',
  headers: { 'X-Drumbeat-Alert': 'alr_9' },
};

let root: string;
let dir: string;
let clock: ManualClock;
let lines: string[];
let mailer: OutboxMailer;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'drumbeat-outbox-'));
  dir = join(root, 'nested', 'outbox');
  clock = new ManualClock('2030-03-04T05:06:07.089Z');
  lines = [];
  mailer = new OutboxMailer({ dir, from: FROM, log: (line) => lines.push(line), clock });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('OutboxMailer', () => {
  it('writes a parsable .eml with both parts into a directory it creates', async () => {
    const { messageId } = await mailer.send(message);

    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^20300304T050607089Z-.+\.eml$/);
    const parsed = await simpleParser(await readFile(join(dir, files[0]!)));
    expect(parsed.subject).toBe(message.subject);
    expect(parsed.from?.value).toEqual([{ name: 'Drumbeat', address: 'alerts@drumbeat.example' }]);
    expect(parsed.to).toMatchObject({ value: [{ address: 'owner@brand.example' }] });
    expect(parsed.text?.trim()).toBe(message.text);
    expect(parsed.html).toContain('<em>no post</em>');
    expect(parsed.headers.get('x-drumbeat-alert')).toBe('alr_9');
    expect(parsed.messageId).toBe(messageId);
    expect(parsed.date).toEqual(new Date('2030-03-04T05:06:07Z')); // the Date header has whole seconds
  });

  it('logs where each message went', async () => {
    await mailer.send(message);

    const [file] = await readdir(dir);
    expect(lines).toEqual([`mail written to ${join(dir, file!)}: ${message.subject}`]);
  });

  it('names files so they sort by the time written', async () => {
    await mailer.send({ ...message, subject: 'first' });
    clock.advance(1);
    await mailer.send({ ...message, subject: 'second' });
    clock.set('2031-01-01T00:00:00Z');
    await mailer.send({ ...message, subject: 'third' });

    const files = (await readdir(dir)).sort();
    const subjects = await Promise.all(
      files.map(async (f) => (await simpleParser(await readFile(join(dir, f)))).subject),
    );
    expect(subjects).toEqual(['first', 'second', 'third']);
  });

  it('keeps two messages written in the same millisecond apart', async () => {
    await mailer.send(message);
    await mailer.send(message);

    expect(await readdir(dir)).toHaveLength(2);
  });

  it('writes its line through a pino logger', async () => {
    const out: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        out.push(chunk.toString());
        done();
      },
    });
    const viaPino = new OutboxMailer({ dir, from: FROM, log: pino(sink), clock });
    await viaPino.send(message);

    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0]!).msg).toMatch(new RegExp(`^mail written to ${dir}/.+\\.eml: ${message.subject}$`));
  });
});

describe('outboxFileName', () => {
  it('keeps only file-safe characters of the message id', () => {
    expect(outboxFileName(new Date('2030-01-02T03:04:05.006Z'), '<a/b:c@x.example>')).toBe(
      '20300102T030405006Z-a_b_c@x.example.eml',
    );
  });
});
