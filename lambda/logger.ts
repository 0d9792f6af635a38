/**
 * Structured JSON log lines. Every line passes through the secret scrubber last, so a token that
 * slipped into an error message still never reaches CloudWatch Logs. Value by value, so a
 * redaction can never break the line's JSON.
 */
import { scrubOutput } from './core/scrub';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger {
  const emit = (level: string, message: string, fields: Record<string, unknown> = {}) =>
    write(scrubOutput(JSON.stringify({ level, message, ...fields }, errorReplacer)));
  return {
    info: (m, f) => emit('INFO', m, f),
    warn: (m, f) => emit('WARN', m, f),
    error: (m, f) => emit('ERROR', m, f),
  };
}

/** Errors serialise as name and message only: stacks and SDK internals can carry request data. */
function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}
