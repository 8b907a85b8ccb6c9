export type { ServiceDeps } from './deps.js';
export { sha256Hex, constantTimeEqual } from './secret-hash.js';
export { ApiKeyService, type Principal } from './api-keys.js';
export { WorkspaceService } from './workspaces.js';
export { VoiceService } from './voices.js';
export { applyPatch } from './patch.js';
export { AccountService, type AccountWithSecret } from './accounts.js';
export { createServices, type Services } from './services.js';
