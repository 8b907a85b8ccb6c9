import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomSecret } from '@drumbeat/core';

/**
 * The admin token: DRUMBEAT_ADMIN_TOKEN when set; otherwise the one generated
 * on first start and kept in `<dataDir>/admin-token` (mode 0600), so restarts
 * keep it. In memory mode a fresh one is generated each start.
 */
export function resolveAdminToken(
  given: string | undefined,
  dataDir: string | undefined,
): { token: string; generated: boolean } {
  if (given) return { token: given, generated: false };
  if (dataDir) {
    const file = join(dataDir, 'admin-token');
    if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), generated: false };
    mkdirSync(dataDir, { recursive: true });
    const token = `dba.${randomSecret(32)}`;
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    return { token, generated: true };
  }
  return { token: `dba.${randomSecret(32)}`, generated: true };
}
