/**
 * Strict validation helpers for scenario files: every failure is one line naming the source, the
 * field path and the bad value, so a typo fails loudly instead of silently changing behaviour.
 */

/** A scenario that cannot be used; the message is one line: `<source>: <path>: <problem>`. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

/**
 * Upper bounds for scenario numbers: a simulator that sleeps 1e20 ms or counts to 1e300 is a typo,
 * and would hang or flood the run it serves. Ten minutes outlasts any probe timeout.
 */
export const LIMITS = { delayMs: 600_000, count: 1_000_000, seed: 4_294_967_295 } as const;

type Obj = Record<string, unknown>;

export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function show(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export class Validator {
  constructor(private readonly source: string) {}

  fail(path: string, problem: string, value: unknown): never {
    const where = path === '' ? '' : `${path}: `;
    throw new ScenarioError(oneLine(`${this.source}: ${where}${problem}, got ${show(value)}`));
  }

  /** An object with only `allowed` keys (null = any keys, checked later). */
  object(value: unknown, path: string, allowed: readonly string[] | null): Obj {
    const at = path === '' ? '' : path;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(at, 'must be an object', value);
    }
    if (allowed) {
      for (const key of Object.keys(value)) {
        if (!allowed.includes(key)) {
          this.fail(at === '' ? key : `${at}.${key}`, `unknown key (allowed: ${allowed.join(', ')})`, key);
        }
      }
    }
    return value as Obj;
  }

  array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) this.fail(path, 'must be an array', value);
    return value;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string' || value.trim() === '')
      this.fail(path, 'must be a non-empty string', value);
    return value;
  }

  /** Guardrail blocked messages: 1-500 characters, as CloudFormation allows (docs/bedrock-wire.md). */
  message(value: unknown, path: string): string {
    const s = this.string(value, path);
    if (s.length > 500) this.fail(path, 'must be at most 500 characters', s);
    return s;
  }

  bool(value: unknown, path: string): boolean {
    if (typeof value !== 'boolean') this.fail(path, 'must be true or false', value);
    return value;
  }

  /** An integer in [min, max]; the message names both bounds so the fix is obvious. */
  int(value: unknown, path: string, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(path, `must be an integer from ${min} to ${max}`, value);
    }
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, options: readonly T[]): T {
    if (typeof value !== 'string' || !options.includes(value as T)) {
      this.fail(path, `must be one of ${options.join(', ')}`, value);
    }
    return value as T;
  }

  unique(values: readonly string[], path: string, field: string | null): void {
    const seen = new Set<string>();
    values.forEach((value, i) => {
      if (seen.has(value)) this.fail(field ? `${path}[${i}].${field}` : `${path}[${i}]`, 'duplicate', value);
      seen.add(value);
    });
  }
}
