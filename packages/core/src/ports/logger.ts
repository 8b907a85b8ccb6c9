/**
 * Where the shared packages report what they swallow (an event not queued, a
 * hook that failed, an email not sent): the embedded runtime passes its pino
 * logger, the functions their JSON logger, with the same field names. The
 * signature is pino's: fields first, then the message.
 */
export interface Logger {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}
