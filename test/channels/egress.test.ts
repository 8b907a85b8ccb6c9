import { Invalid } from '@drumbeat/core';
import { describe, expect, it } from 'vitest';
import { checkEgressUrl, egressUrlPolicy, type Resolver } from '@drumbeat/channels';
import { rejection } from '../support/rejection.js';

const strict = { allowPrivate: false, path: 'channel.url' };
const refusal = (p: Promise<unknown>) => rejection(p, Invalid);
const resolverOf =
  (table: Record<string, string[]>): Resolver =>
  async (host) => {
    const addrs = table[host];
    if (!addrs) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addrs.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('checkEgressUrl without allowPrivate (AWS)', () => {
  it.each([
    ['loopback', 'https://127.0.0.1/hook'],
    ['loopback, other forms of 127.0.0.1', 'https://2130706433/hook'],
    ['loopback in hex', 'https://0x7f.1/hook'],
    ['RFC 1918 10/8', 'https://10.0.0.8/hook'],
    ['RFC 1918 172.16/12', 'https://172.20.1.1/hook'],
    ['RFC 1918 192.168/16', 'https://192.168.1.10/hook'],
    ['CGNAT 100.64/10', 'https://100.100.100.200/hook'],
    ['link-local', 'https://169.254.10.1/hook'],
    ['the metadata address', 'https://169.254.169.254/latest/meta-data/'],
    ['0.0.0.0/8', 'https://0.0.0.0/hook'],
    ['multicast', 'https://239.1.2.3/hook'],
    ['broadcast', 'https://255.255.255.255/hook'],
    ['IPv6 loopback', 'https://[::1]/hook'],
    ['IPv6 unspecified', 'https://[::]/hook'],
    ['IPv6 ULA fc00::/7', 'https://[fd12:3456::1]/hook'],
    ['the IPv6 metadata address', 'https://[fd00:ec2::254]/hook'],
    ['IPv6 link-local', 'https://[fe80::1]/hook'],
    ['IPv6 multicast', 'https://[ff02::1]/hook'],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/hook'],
    ['IPv4-mapped metadata', 'https://[::ffff:169.254.169.254]/hook'],
    ['IPv4-mapped private', 'https://[::ffff:10.0.0.1]/hook'],
    ['NAT64 of a private address', 'https://[64:ff9b::a00:1]/hook'],
  ])('refuses %s (%s), naming the field', async (_, url) => {
    const err = await refusal(checkEgressUrl(url, strict));
    expect(err.errors).toEqual([{ path: 'channel.url', message: expect.stringMatching(/resolves to/) }]);
  });

  it('refuses plain http, credentials and non-URLs', async () => {
    expect((await refusal(checkEgressUrl('http://93.184.216.34/hook', strict))).errors[0]!.message).toBe(
      'must use https',
    );
    expect((await refusal(checkEgressUrl('https://u:p@93.184.216.34/hook', strict))).errors[0]!.message).toMatch(
      /credentials/,
    );
    expect((await refusal(checkEgressUrl('not a url', strict))).errors[0]!.message).toMatch(/absolute URL/);
    expect((await refusal(checkEgressUrl('ftp://93.184.216.34/', strict))).errors[0]!.message).toBe('must use https');
  });

  it('refuses a DNS name that resolves to 127.0.0.1 (localhost, real resolver)', async () => {
    const err = await refusal(
      checkEgressUrl('https://localhost/hook', { allowPrivate: false, path: 'channel.instanceUrl' }),
    );
    expect(err.errors[0]).toEqual({ path: 'channel.instanceUrl', message: expect.stringContaining('loopback') });
  });

  it('refuses a name when any of its addresses is private, even next to a public one', async () => {
    const resolve = resolverOf({ 'mixed.example': ['93.184.216.34', '10.1.1.1'] });
    const err = await refusal(checkEgressUrl('https://mixed.example/', { ...strict, resolve }));
    expect(err.message).toContain('10.1.1.1');
  });

  it('refuses a name that does not resolve', async () => {
    const resolve = resolverOf({});
    expect(
      (await refusal(checkEgressUrl('https://nowhere.example/', { ...strict, resolve }))).errors[0]!.message,
    ).toMatch(/does not resolve \(ENOTFOUND\)/);
  });

  it('accepts https to public addresses, by literal or by name', async () => {
    const resolve = resolverOf({ 'tools.agency.example': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'] });
    await expect(checkEgressUrl('https://93.184.216.34/hook', strict)).resolves.toBeInstanceOf(URL);
    await expect(checkEgressUrl('https://[2606:4700:4700::1111]/hook', strict)).resolves.toBeInstanceOf(URL);
    await expect(
      checkEgressUrl('https://tools.agency.example/hooks/drumbeat', { ...strict, resolve }),
    ).resolves.toBeInstanceOf(URL);
  });
});

describe('checkEgressUrl with allowPrivate (embedded runtime)', () => {
  const open = { allowPrivate: true, path: 'channel.url' };
  it('accepts loopback and private addresses, over https or plain http', async () => {
    await expect(checkEgressUrl('https://127.0.0.1:8443/hook', open)).resolves.toBeInstanceOf(URL);
    await expect(checkEgressUrl('http://127.0.0.1:9000/hook', open)).resolves.toBeInstanceOf(URL);
    await expect(checkEgressUrl('http://localhost:9000/hook', open)).resolves.toBeInstanceOf(URL);
    await expect(checkEgressUrl('http://[::1]:9000/hook', open)).resolves.toBeInstanceOf(URL);
    await expect(checkEgressUrl('http://192.168.1.20/hook', open)).resolves.toBeInstanceOf(URL);
  });

  it('still refuses plain http to a public address', async () => {
    const resolve = resolverOf({ 'tools.agency.example': ['93.184.216.34'] });
    await refusal(checkEgressUrl('http://93.184.216.34/hook', open));
    expect((await refusal(checkEgressUrl('http://tools.agency.example/hook', { ...open, resolve }))).message).toMatch(
      /use https/,
    );
  });
});

describe('egressUrlPolicy', () => {
  it('is a UrlPolicy: check(url, path) throws Invalid naming the path', async () => {
    const policy = egressUrlPolicy({ allowPrivate: false });
    const err = await refusal(policy.check('https://169.254.169.254/', 'webhook.url'));
    expect(err.errors[0]!.path).toBe('webhook.url');
    await expect(policy.check('https://93.184.216.34/', 'webhook.url')).resolves.toBeUndefined();
  });
});
