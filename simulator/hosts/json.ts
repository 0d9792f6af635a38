/** Reading loosely typed JSON request bodies, for every host handler. */
import type { ToolSpec } from '../brain';

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

/**
 * The tools a `tools` array offers, each entry read by `pick` (null skips it); entries without a
 * name are not tools.
 */
export function toolSpecs(
  tools: unknown,
  pick: (tool: Json) => { name: unknown; parameters: unknown } | null,
): ToolSpec[] {
  if (!Array.isArray(tools)) return [];
  const out: ToolSpec[] = [];
  for (const raw of tools) {
    const t = asRecord(raw);
    const picked = t ? pick(t) : null;
    const name = str(picked?.name);
    if (picked && name) out.push({ name, parameters: picked.parameters });
  }
  return out;
}
