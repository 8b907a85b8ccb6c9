export { createApp, type App } from './app.js';
export type { ApiConfig, AppEnv } from './env.js';
export { openApiDocument } from './openapi/app-document.js';
