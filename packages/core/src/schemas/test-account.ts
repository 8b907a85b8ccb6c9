// For the schema tests: the smallest account a request may create.
export const minimalAccount = {
  name: 'Acme',
  network: 'mastodon',
  handle: '@acme',
  timezone: 'Europe/Paris',
  channel: { type: 'webhook', url: 'https://hooks.example/x' },
};
