/**
 * Request bodies the tests post again and again: the accounts and the voices
 * of the fixtures (Acme on Mastodon; Anna the agency author, Claire the
 * in-house approver), each with `overrides` applied where it takes them.
 */

/**
 * Acme on Mastodon, Europe/Paris, with the manual channel and nothing else (no cadence, no approval):
 * the account body the tests build theirs from, `overrides` applied (another channel among them).
 */
export function acmeAccount(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Acme',
    network: 'mastodon',
    handle: '@acme',
    timezone: 'Europe/Paris',
    channel: { type: 'manual' },
    ...overrides,
  };
}

/** A valid account body (acmeAccount's, named Acme on Mastodon) with a webhook channel and a cadence. */
export function accountBody(overrides: Record<string, unknown> = {}) {
  return acmeAccount({
    name: 'Acme on Mastodon',
    channel: { type: 'webhook', url: 'https://hooks.agency.example/drumbeat' },
    cadence: { slots: ['FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=30'], maxGap: 'PT48H' },
    ...overrides,
  });
}

/** Anna, the agency's author. */
export const ANNA = {
  name: 'Anna Bell',
  email: 'anna@northwind.example',
  affiliation: 'agency',
  organization: 'Northwind',
} as const;

/** Claire, the brand's in-house approver. */
export const CLAIRE = { name: 'Claire Dupont', email: 'claire@acme.example', affiliation: 'in_house' } as const;

/** Anna as the import files name her (by her agency address). */
export const ANNA_AT_AGENCY = { name: 'Anna Bell', email: 'anna@agency.example', affiliation: 'agency' } as const;
