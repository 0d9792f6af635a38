/**
 * The `openai` and `@anthropic-ai/sdk` errors keep only the body's `error` member, so an AWS-shaped
 * refusal from the runtime host (`{"Message": "Invalid API Key format…"}`, facts §2.2) would
 * reach us as "403 status code (no body)". This fetch keeps the raw text of every error answer,
 * keyed by the answer's `Headers` object, which both SDKs hand on to the error they throw.
 */

const errorBodies = new WeakMap<Headers, string>();

/** A `fetch` for the openai/Anthropic clients: unchanged answers, error bodies remembered. */
export async function capturingFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
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
