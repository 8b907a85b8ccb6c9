/** Conversations (issue 18), pure: when an inbound item is due for an answer. */
export { responseDueAt } from './response-due.js';
