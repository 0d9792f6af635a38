/**
 * Every probe answer is bounded in bytes. A probe asks for 16 tokens, so a good answer is a few
 * KB; a host (or a proxy in front of it) sending hundreds of MB would otherwise be read whole, and
 * more than once with retries, until the Lambda runs out of memory and the whole run is lost.
 * Reading stops past the limit and the probe records `error` with "answer larger than N MB".
 */
import { pipeline, Readable, Transform } from 'node:stream';
import { ANSWER_TOO_LARGE } from '../../core/classify';

export { ANSWER_TOO_LARGE };

const MB = 1024 * 1024;

/** The answer passed the limit: reading stopped there. */
export class AnswerTooLarge extends Error {
  override readonly name = ANSWER_TOO_LARGE;
  /** The message as made here (the AWS SDK appends its own words to `message` in place). */
  readonly summary: string;
  constructor(
    readonly limitBytes: number,
    /** HTTP status of the answer whose body was too large. */
    readonly httpStatus: number | null,
  ) {
    super(`answer larger than ${formatMb(limitBytes)} MB`);
    this.summary = this.message;
  }
}

const formatMb = (bytes: number): string => String(Math.round((bytes / MB) * 10) / 10);

export const megabytes = (mb: number): number => Math.round(mb * MB);

/** The AnswerTooLarge somewhere down an error's cause chain (SDKs wrap what the body threw). */
export function answerTooLarge(err: unknown): AnswerTooLarge | null {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    if (e instanceof AnswerTooLarge) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/** A declared Content-Length already past the limit: no need to read a byte. */
export function declaredTooLarge(contentLength: string | null | undefined, limitBytes: number): boolean {
  const n = Number(contentLength);
  return contentLength != null && Number.isFinite(n) && n > limitBytes;
}

/** A web stream that errors with AnswerTooLarge once more than `limitBytes` went through. */
export function limitWebStream(
  body: ReadableStream<Uint8Array>,
  limitBytes: number,
  status: number,
): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limitBytes) controller.error(new AnswerTooLarge(limitBytes, status));
        else controller.enqueue(chunk);
      },
    }),
  );
}

/** A Node stream transform that fails with AnswerTooLarge once more than `limitBytes` went through. */
export function limitNodeStream(limitBytes: number, status: number | null): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > limitBytes) done(new AnswerTooLarge(limitBytes, status));
      else done(null, chunk);
    },
  });
}

interface RawAnswer {
  statusCode?: number;
  headers?: Record<string, string | undefined>;
  body?: unknown;
}

/**
 * Bound every answer of an AWS SDK client (the runtime's Converse, InvokeModel, streams included):
 * a middleware just above the HTTP handler, below the SDK's deserializer, so nothing reads past
 * the limit.
 */
export function limitAnswers(
  client: { middlewareStack: { add: (...args: never[]) => void } },
  limitBytes: number,
): void {
  const stack = client.middlewareStack as unknown as {
    add(
      mw: (
        next: (args: unknown) => Promise<{ response: unknown }>,
      ) => (args: unknown) => Promise<{ response: unknown }>,
      opts: { step: 'deserialize'; priority: 'low'; name: string },
    ): void;
  };
  stack.add(
    (next) => async (args) => {
      const out = await next(args);
      const res = out.response as RawAnswer;
      const status = res.statusCode ?? null;
      const length = res.headers?.['content-length'] ?? res.headers?.['Content-Length'];
      const body = res.body;
      if (declaredTooLarge(length, limitBytes)) {
        if (body instanceof Readable) body.destroy();
        throw new AnswerTooLarge(limitBytes, status);
      }
      if (body instanceof Readable) {
        const limited = limitNodeStream(limitBytes, status);
        pipeline(body, limited, () => undefined);
        res.body = limited;
      }
      return out;
    },
    { step: 'deserialize', priority: 'low', name: 'answerSizeLimit' },
  );
}
