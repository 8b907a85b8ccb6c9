import { handle } from 'hono/aws-lambda';
import { createApp } from '@drumbeat/api';
import { deps } from './deps.js';

const { services, apiConfig } = deps();

/** The HTTP API on Lambda, behind its function URL and the edge router. */
export const handler = handle(createApp(services, apiConfig));
