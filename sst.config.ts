/// <reference path="./.sst/platform/config.d.ts" />

/**
 * drumbeat on AWS. `npx sst deploy --stage <stage>`; see infra/README.md.
 * SST forbids top-level imports here: infra/* is loaded inside run().
 */
export default $config({
  async app(input) {
    const { isProductionStage } = await import('./infra/stage');
    const production = isProductionStage(input?.stage ?? '');
    return {
      name: 'drumbeat',
      home: 'aws',
      removal: production ? 'retain' : 'remove',
      protect: production,
    };
  },
  async run() {
    const { narrowLinks } = await import('./infra/permissions');
    const { emailList } = await import('./infra/settings');
    narrowLinks(emailList(process.env, 'DRUMBEAT_SES_SANDBOX_RECIPIENTS'));
    const { table } = await import('./infra/table');
    await import('./infra/scheduler');
    const { router } = await import('./infra/router');
    await import('./infra/workers');
    const { api } = await import('./infra/api');
    await import('./infra/mail-events');
    const { dkimRecords } = await import('./infra/email');
    return {
      api: api.url,
      edge: router.url,
      table: table.name,
      dkim: dkimRecords,
    };
  },
});
