/** A JSON call to a drumbeat started as a process, with an API key. */
export async function call(
  base: string,
  key: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** Waits until `cond` holds, polling every 100 ms; throws naming `what` after `ms`. */
export async function until(cond: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > ms) throw new Error(`${what}: not met in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * An automation voice and an account (network `other`, UTC) publishing to the webhook `receiver`, both
 * named `name`, created through a drumbeat process's API: their ids.
 */
export async function burstAccount(
  base: string,
  key: string,
  name: string,
  receiver: string,
): Promise<{ voice: string; account: string }> {
  const voice = (await call(base, key, 'POST', '/v1/voices', { name, affiliation: 'automation' })).body.id;
  const account = (
    await call(base, key, 'POST', '/v1/accounts', {
      name,
      network: 'other',
      handle: `@${name.toLowerCase()}`,
      timezone: 'UTC',
      channel: { type: 'webhook', url: receiver },
    })
  ).body.id;
  return { voice, account };
}
