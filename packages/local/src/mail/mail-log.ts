/** Where a mailer reports a line: a plain function or a pino-like logger. */
export type MailLog = ((line: string) => void) | { info(msg: string): void };

/** Writes `line` to a MailLog, whichever shape it has. */
export function writeLine(log: MailLog, line: string): void {
  if (typeof log === 'function') log(line);
  else log.info(line);
}
