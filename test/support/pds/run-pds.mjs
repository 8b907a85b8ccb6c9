// Runs a real atproto PDS (with an in-memory PLC, data on SQLite in a temp dir)
// for drumbeat's end-to-end Bluesky test. Started under Node 22 by
// test/support/real-pds.ts; prints one JSON line {url, did, handle,
// appPassword, bobHandle, bobDid} once ready, and stops on SIGTERM or when its
// stdin closes (so it never outlives the test).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestPlc, TestPds } from '@atproto/dev-env';

const dir = mkdtempSync(join(tmpdir(), 'drumbeat-pds-'));
mkdirSync(join(dir, 'data'));
const plc = await TestPlc.create({});
const pds = await TestPds.create({
  didPlcUrl: plc.url,
  dataDirectory: join(dir, 'data'),
  blobstoreDiskLocation: join(dir, 'blobs'),
});
const agent = pds.getAgent();
const handle = 'northwind.test';
const password = 'northwind-login-password';
await agent.createAccount({ email: 'anna@northwind.test', handle, password });
const app = await agent.com.atproto.server.createAppPassword({ name: 'drumbeat' });
// A second account, to be mentioned.
const other = pds.getAgent();
await other.createAccount({ email: 'bob@northwind.test', handle: 'bobby.test', password: 'bob-password' });
const ready = {
  url: pds.url,
  did: agent.session.did,
  handle,
  appPassword: app.data.password,
  bobHandle: 'bobby.test',
  bobDid: other.session.did,
};
process.stdout.write(`${JSON.stringify(ready)}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await pds.close().catch(() => undefined);
  await plc.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
