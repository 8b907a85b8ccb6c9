import { adminToken, sessionSecret } from './secrets';
import { activeTracing, API_REFERENCE_SCRIPT, lambdaDefaults, tracingPermission } from './lambda';
import { imports } from './imports';
import { originLink, router } from './router';
import { workerLinks } from './workers';
import { linkSecretsPermission, sealPermission } from './kms';
import { reservedConcurrency } from './settings';
import { functionAlarms } from './alarms';

/**
 * The HTTP API: one Lambda (Hono through `hono/aws-lambda`) with a function
 * URL, served to the public through the Router (infra/router.ts). The URL is
 * public (auth NONE: CloudFront cannot sign requests with bodies), so the
 * handler refuses requests without the Router's origin secret, and reserved
 * concurrency caps what a flood can cost (`DRUMBEAT_API_CONCURRENCY`, 20).
 */
const reserved = reservedConcurrency(process.env, 'API', 20);

export const api = new sst.aws.Function('Api', {
  ...lambdaDefaults,
  handler: 'functions/api.handler',
  // No CORS: browsers reach the API through the Router, same origin.
  url: { cors: false },
  timeout: '20 seconds',
  memory: '1024 MB',
  ...(reserved ? { concurrency: { reserved } } : {}),
  // `imports`: Resource.Imports.name and lambda:InvokeFunction on that one function (large CSV imports run there).
  link: [...workerLinks, adminToken, sessionSecret, originLink, imports],
  // /docs serves Scalar's standalone script from disk (packages/api/src/docs-page.ts reads it at $LAMBDA_TASK_ROOT/docs/).
  copyFiles: [{ from: API_REFERENCE_SCRIPT, to: 'docs/api-reference.js' }],
  permissions: [sealPermission, linkSecretsPermission, tracingPermission],
  transform: { function: activeTracing },
});

router.route('/', api.url);
functionAlarms('Api', api);
