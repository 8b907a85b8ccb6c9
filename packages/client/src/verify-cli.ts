/**
 * `drumbeat-verify ledger.json checkpoints.jsonl [--key <publicKey>] [--json]`:
 * checks a ledger export against checkpoints collected elsewhere. Exit code 0
 * when everything holds, 1 when something is found (each finding names its
 * entry), 2 for a usage or input error. The Node entry of the pure verifier.
 */
import { readFile } from 'node:fs/promises';
import { formatReport, readCheckpoints, readLedgerExport, verifyLedger } from './ledger-verifier.js';

const USAGE =
  'usage: drumbeat-verify <ledger.json> <checkpoints.jsonl> [--key <Ed25519 public key, base64url>] [--json]';

/** Runs the CLI on `argv` (without node and the script); returns the exit code. */
export async function main(
  argv: string[],
  out: (s: string) => void = console.log,
  err: (s: string) => void = console.error,
): Promise<number> {
  const files: string[] = [];
  let key: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--key') key = argv[++i];
    else if (a === '-h' || a === '--help') return (out(USAGE), 0);
    else if (a.startsWith('-')) return (err(`unknown option ${a}\n${USAGE}`), 2);
    else files.push(a);
  }
  if (files.length !== 2 || (argv.includes('--key') && !key)) return (err(USAGE), 2);
  try {
    const ledger = readLedgerExport(JSON.parse(await readFile(files[0]!, 'utf8')));
    const checkpoints = readCheckpoints(await readFile(files[1]!, 'utf8'));
    const report = await verifyLedger(ledger, checkpoints, key ? { publicKey: key } : {});
    out(json ? JSON.stringify(report, null, 2) : formatReport(report));
    return report.ok ? 0 : 1;
  } catch (e) {
    err(`drumbeat-verify: ${(e as Error).message}`);
    return 2;
  }
}
