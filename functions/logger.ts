/**
 * The functions' logger: one JSON object per line on stdout with the field
 * names of the embedded runtime's pino logs (packages/local/src/logger.ts):
 * `level` (pino's numbers: 30 info, 40 warn, 50 error), `time` (ISO 8601 UTC),
 * `service: "drumbeat"`, `msg`, the given fields, and `err` as pino's error
 * serializer writes it ({ type, message, stack }). So one CloudWatch Logs
 * Insights query (`filter level >= 50 | fields time, msg, err.message`) reads
 * both runtimes. Lambda's JSON log format keeps a line that is already a JSON
 * object as it is; its own lines (START, REPORT, platform errors) carry
 * `timestamp`/`level: "ERROR"` as before.
 */

export type LogFields = Record<string, unknown>;

/** The port the functions log through; tests pass one that records. */
export interface FunctionLogger {
  info(fields: LogFields, msg: string): void;
  warn(fields: LogFields, msg: string): void;
  error(fields: LogFields, msg: string): void;
}

const LEVELS = { info: 30, warn: 40, error: 50 } as const;

/** An Error as pino's `err` serializer shows it; anything else as it is. */
function serialize(value: unknown): unknown {
  if (value instanceof Error) return { type: value.name, message: value.message, stack: value.stack };
  return value;
}

/** A logger writing JSON lines through `write` (stdout by default) with the clock `now`. */
export function jsonLogger(
  opts: { write?: (line: string) => void; now?: () => Date; base?: LogFields } = {},
): FunctionLogger {
  const write = opts.write ?? ((line: string) => void process.stdout.write(line));
  const now = opts.now ?? (() => new Date());
  const entry = (level: keyof typeof LEVELS) => (fields: LogFields, msg: string) => {
    const body: LogFields = { level: LEVELS[level], time: now().toISOString(), service: 'drumbeat', ...opts.base };
    for (const [k, v] of Object.entries(fields)) body[k] = serialize(v);
    body.msg = msg;
    write(`${JSON.stringify(body)}\n`);
  };
  return { info: entry('info'), warn: entry('warn'), error: entry('error') };
}

/** The container's logger (the function's name in every line, as Lambda sets it). */
export const log: FunctionLogger = jsonLogger({
  base: process.env.AWS_LAMBDA_FUNCTION_NAME ? { fn: process.env.AWS_LAMBDA_FUNCTION_NAME } : {},
});

/**
 * The shared packages report failures they swallow (an event not queued, a
 * hook that failed) as one JSON string on `console.error`. On Lambda those
 * lines are re-emitted through `logger` with the pino field names, so they
 * read like every other line; anything else passed to console.error is
 * logged as an error with its arguments as text.
 */
export function routeConsoleErrors(logger: FunctionLogger = log, target: Pick<Console, 'error'> = console): void {
  target.error = (...args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === 'string' && args[0].startsWith('{')) {
      try {
        const { level: _level, msg, ...fields } = JSON.parse(args[0]) as LogFields;
        logger.error(fields, typeof msg === 'string' ? msg : 'error');
        return;
      } catch {
        // not JSON: logged as text below
      }
    }
    logger.error({ args: args.map((a) => (a instanceof Error ? a : String(a))) }, 'console.error');
  };
}
