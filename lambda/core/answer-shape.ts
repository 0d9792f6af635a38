/**
 * Is a 2xx body really this api's answer? A proxy or captive portal answering HTTP 200 with an
 * HTML page, or a front door answering `{}`, must read as `error`, never as `supported` (or, on a
 * guardrail cell, as `ignored`). Converse and InvokeModel bodies are judged by their adapters
 * (the AWS SDK parses them), which set `Observation.malformed`.
 */
import type { Api } from './model';

type Rec = Readonly<Record<string, unknown>>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the body looks like, in a few words, for the evidence. */
export function describeBody(body: unknown): string {
  if (body === undefined || body === null || body === '') return 'an empty body';
  if (typeof body === 'string') {
    const head = body.trimStart().slice(0, 60);
    return /^<(!doctype|html|\?xml|head|body)/i.test(head) ? `an HTML page (${head})` : `text (${head})`;
  }
  if (Array.isArray(body)) return `a JSON array of ${body.length}`;
  if (isRec(body)) {
    const keys = Object.keys(body);
    return keys.length === 0 ? 'an empty object {}' : `an object with keys ${keys.slice(0, 6).join(', ')}`;
  }
  return `a JSON ${typeof body}`;
}

/** Why `body` is not an answer of `api`, or null when it is (or the api is judged elsewhere). */
export function answerShapeProblem(api: Api, body: unknown): string | null {
  if (body === undefined) return null;
  const ok =
    api === 'chat'
      ? isRec(body) && Array.isArray(body.choices)
      : api === 'responses'
        ? isRec(body) && Array.isArray(body.output)
        : api === 'messages'
          ? isRec(body) && Array.isArray(body.content)
          : true;
  return ok ? null : describeBody(body);
}
