import { pino, type Logger } from 'pino';

/** The structured (JSON lines) logger of the embedded runtime. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'drumbeat' }, timestamp: pino.stdTimeFunctions.isoTime });
}

export type { Logger };

/** Prints `text` on the logger's stream (stdout), after every line logged so far: its writes are asynchronous, so a plain stdout write could overtake them. */
export function printAfterLogs(logger: Logger, text: string): void {
  (logger as unknown as Record<symbol, { write(chunk: string): void }>)[pino.symbols.streamSym]!.write(text);
}
