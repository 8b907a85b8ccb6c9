import { handle } from 'hono/aws-lambda';
import { createApp } from '@drumbeat/api';
import { deps } from './deps.js';
import { originGuard } from './origin-guard.js';

const { services, apiConfig, config } = deps();

/** The HTTP API on Lambda, behind its function URL; only requests the Router forwarded reach the app. */
export const handler = originGuard(config.originSecret, handle(createApp(services, apiConfig)));
