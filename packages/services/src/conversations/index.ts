export { ConversationService, type ConversationActor } from './conversation-service.js';
export { assignEmail } from './assign-email.js';
