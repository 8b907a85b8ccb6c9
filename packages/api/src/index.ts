export { createApp, type App } from './app.js';
export type { ApiConfig, AppEnv, ServiceSource } from './env.js';
export { openApiDocument } from './openapi/app-document.js';
export type { ImportJobs, ImportJobView, ImportJobStatus } from './import-jobs.js';
export { importCsv, importProblem } from './import-csv.js';
