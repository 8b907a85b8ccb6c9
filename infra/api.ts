import { adminToken } from './secrets';
import { lambdaDefaults } from './lambda';
import { router } from './router';
import { workerLinks } from './workers';

/**
 * The HTTP API: one Lambda (Hono through `hono/aws-lambda`) with a function
 * URL, served to the public through the Router (infra/router.ts).
 */
export const api = new sst.aws.Function('Api', {
  ...lambdaDefaults,
  handler: 'functions/api.handler',
  url: true,
  timeout: '20 seconds',
  memory: '1024 MB',
  link: [...workerLinks, adminToken],
});

router.route('/', api.url);
