/** The self-signed test certificate (localhost, hooks.agency.test, 127.0.0.1; valid for a century). */
import { readFileSync } from 'node:fs';

const dir = new URL('./fixtures/', import.meta.url);
export const TLS = {
  key: readFileSync(new URL('localhost-key.pem', dir), 'utf8'),
  cert: readFileSync(new URL('localhost-cert.pem', dir), 'utf8'),
};
