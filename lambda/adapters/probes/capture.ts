/**
 * The `openai` and `@anthropic-ai/sdk` errors keep only the body's `error` member, so an AWS-shaped
 * refusal from the runtime host (`{"Message": "Invalid API Key format…"}`, docs/bedrock-wire.md) would
 * reach us as "403 status code (no body)". This fetch keeps the raw text of every error answer,
 * keyed by the answer's `Headers` object, which both SDKs hand on to the error they throw.
 * With a Recorder (`probe --record`) it also records every exchange, streaming answers included.
 * Every answer is bounded: past `maxAnswerBytes` reading stops with AnswerTooLarge (answer-limit.ts).
 */
import { Readable } from 'node:stream';
import {
  answeredExchange,
  type RawRequest,
  type RecordedHost,
  type Recorder,
  unansweredExchange,
} from '../recording';
import { AnswerTooLarge, declaredTooLarge, limitWebStream } from './answer-limit';

const errorBodies = new WeakMap<Headers, string>();

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * A `fetch` for the openai/Anthropic clients: answers bounded to `maxAnswerBytes`, error bodies
 * remembered, and each exchange recorded to `recorder` as `host` when one is given.
 */
export function createCapturingFetch(
  maxAnswerBytes: number,
  recorder?: Recorder,
  host?: RecordedHost,
): Fetch {
  const fetchBounded = async (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
    bounded(await fetch(input, init), maxAnswerBytes);
  return async (input, init) => {
    if (!recorder || !host) return capture(await fetchBounded(input, init));
    const seq = recorder.begin();
    const url = new URL(input instanceof Request ? input.url : String(input));
    const base: RawRequest = {
      host,
      method: (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase(),
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      requestHeaders: headerRecord(new Headers(init?.headers)),
      requestBody: typeof init?.body === 'string' ? Buffer.from(init.body, 'utf8') : null,
    };
    let response: Response;
    try {
      response = await fetchBounded(input, init);
    } catch (err) {
      recorder.exchange(seq, unansweredExchange(base, err));
      throw err;
    }
    // fetch already decoded the body: a recorded content-encoding would lie about it.
    const headers = headerRecord(response.headers);
    delete headers['content-encoding'];
    delete headers['content-length'];
    const write = (body: Uint8Array, error?: string) =>
      recorder.exchange(seq, answeredExchange(base, response.status, headers, body, error));
    if (response.status >= 400 || !response.body) {
      const copy = capture(response);
      const answered = await copy;
      write(Buffer.from(await answered.clone().arrayBuffer()));
      return answered;
    }
    // Tee: the SDK reads one branch as it streams, the recorder drains the other.
    const [forSdk, forRecord] = response.body.tee();
    void new Response(forRecord).arrayBuffer().then(
      (bytes) => write(new Uint8Array(bytes)),
      (err: unknown) => write(new Uint8Array(), String(err)),
    );
    return new Response(forSdk, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/** The answer with its body cut off past `limit` bytes (at once when its length says so). */
async function bounded(response: Response, limit: number): Promise<Response> {
  if (declaredTooLarge(response.headers.get('content-length'), limit)) {
    await response.body?.cancel().catch(() => undefined);
    throw new AnswerTooLarge(limit, response.status);
  }
  if (!response.body) return response;
  return new Response(limitWebStream(response.body, limit, response.status), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

function headerRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

async function capture(response: Response): Promise<Response> {
  if (response.status < 400) return response;
  const text = await response.text();
  const copy = new Response(text, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  errorBodies.set(copy.headers, text);
  return copy;
}

/** The raw error body of the answer these headers came with, if this module saw it. */
export function rawErrorBody(headers: unknown): string | undefined {
  return headers instanceof Headers ? errorBodies.get(headers) : undefined;
}

/** The AWS SDK's raw HTTP answer, as far as this module needs it. */
interface AwsHttpResponse {
  statusCode: number;
  body?: unknown;
}

const awsErrorBodies = new WeakMap<object, string>();

/**
 * The AWS SDK parses an error body as JSON and, when it is not (the raw XML
 * `<UnknownOperationException/>` of a route the host lacks), throws a SyntaxError that has lost
 * the text. This middleware, inside the SDK's deserializer, keeps the text of every error answer,
 * keyed by the response object the SDK later hangs on the error as `$response`.
 */
export function captureAwsErrorBodies(client: {
  middlewareStack: { add(mw: unknown, options: Record<string, unknown>): void };
}): void {
  const middleware =
    (next: (args: unknown) => Promise<{ response: unknown }>) =>
    async (args: unknown): Promise<{ response: unknown }> => {
      const out = await next(args);
      const res = out.response as AwsHttpResponse | undefined;
      if (!res || typeof res.statusCode !== 'number' || res.statusCode < 300) return out;
      const bytes = await bodyBytesOf(res.body);
      if (bytes === null) return out;
      awsErrorBodies.set(res, new TextDecoder().decode(bytes));
      res.body = Readable.from([bytes]);
      return out;
    };
  client.middlewareStack.add(middleware, { step: 'deserialize', priority: 'low', name: 'captureErrorBody' });
}

async function bodyBytesOf(body: unknown): Promise<Buffer | null> {
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (!(body instanceof Readable)) return null;
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

/** The raw error body of the AWS SDK answer an error carries as `$response`, if captured. */
export function rawAwsErrorBody(response: unknown): string | undefined {
  return typeof response === 'object' && response !== null ? awsErrorBodies.get(response) : undefined;
}
