/** Reading loosely typed JSON request bodies, for every host handler. */

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function asRecord(v: unknown): Json | null {
  return isObject(v) ? v : null;
}

export function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/** The body as a JSON object, or null when it is not one. */
export function parseJsonObject(body: Buffer): Json | null {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8') || 'null');
    return asRecord(parsed);
  } catch {
    return null;
  }
}

/** Text of an OpenAI/Anthropic content value: a string, or an array of parts with `text`. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => {
      const p = asRecord(part);
      if (!p) return '';
      if (typeof p.text === 'string') return p.text;
      if (p.content !== undefined) return contentText(p.content);
      if (typeof p.output === 'string') return p.output;
      return '';
    })
    .filter((t) => t.length > 0)
    .join('\n');
}
