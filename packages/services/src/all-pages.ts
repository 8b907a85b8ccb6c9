// Kept for watchdog/mail-bounces.ts (being rewritten elsewhere); new code imports allPages from @drumbeat/store.
export { allPages } from '@drumbeat/store';
