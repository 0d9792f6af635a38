/**
 * Every call to something outside the process is bounded: a dependency that accepts the
 * connection and never answers must end the run with a line naming it, not hang it until the
 * Lambda timeout. The SDK clients also carry socket timeouts (aws-clients.ts); this is the
 * backstop that holds whatever the client does.
 */
import { scrubSecrets } from '../core/scrub';

/** A dependency call that did not answer in time; `what` names the dependency and the operation. */
export class DependencyTimeout extends Error {
  override readonly name = 'DependencyTimeout';
  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what} did not answer within ${formatMs(ms)}`);
  }
}

/** A dependency call that failed; the message names the dependency and operation first. */
export class DependencyError extends Error {
  override readonly name = 'DependencyError';
  constructor(
    readonly what: string,
    cause: unknown,
  ) {
    super(`${what} failed: ${errorText(cause)}`, { cause });
  }
}

const formatMs = (ms: number): string => (ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`);

/**
 * Run `call` with an abort signal that fires after `ms`; reject with DependencyTimeout then,
 * even if the call ignores its signal.
 */
export async function bounded<T>(
  what: string,
  ms: number,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (!Number.isFinite(ms) || ms <= 0) throw new Error(`timeout for ${what} must be > 0 ms, got ${ms}`);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new DependencyTimeout(what, ms));
    }, ms);
  });
  try {
    return await Promise.race([call(controller.signal), timeout]);
  } catch (err) {
    // An SDK aborted by our own signal throws its own AbortError: say what really happened.
    if (controller.signal.aborted) throw new DependencyTimeout(what, ms);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

interface ErrorLike {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly status?: number;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly cause?: unknown;
}

/** `Name 403: message`, scrubbed: safe for logs, reports and thrown messages. */
export function errorText(err: unknown): string {
  // Our own wrappers already name the dependency and the operation.
  if (err instanceof DependencyTimeout || err instanceof DependencyError) return scrubSecrets(err.message);
  if (err && typeof err === 'object') {
    const e = err as ErrorLike;
    const status = e.status ?? e.$metadata?.httpStatusCode;
    const cause = causeCode(err);
    const message = e.message ?? '';
    const withCause = cause && !message.includes(cause) ? `${message} (${cause})` : message;
    return scrubSecrets(`${e.name ?? 'Error'}${status ? ` ${status}` : ''}: ${withCause}`);
  }
  return scrubSecrets(String(err));
}

/** The first `code` down the cause chain (`ENOTFOUND`, `ECONNREFUSED`, ...). */
export function causeCode(err: unknown): string | null {
  let e: unknown = err;
  for (let depth = 0; depth < 6 && e && typeof e === 'object'; depth++) {
    const code = (e as ErrorLike).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    e = (e as ErrorLike).cause;
  }
  return null;
}

/**
 * The host name does not exist (DNS NXDOMAIN): the endpoint is absent in this region, a lasting
 * fact, not a transient failure. `EAI_AGAIN` (resolver not answering) is NOT absence.
 */
export const isNameNotResolved = (err: unknown): boolean => causeCode(err) === 'ENOTFOUND';
