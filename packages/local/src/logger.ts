import { pino, type Logger } from 'pino';

/** The structured (JSON lines) logger of the embedded runtime. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'drumbeat' }, timestamp: pino.stdTimeFunctions.isoTime });
}

export type { Logger };
