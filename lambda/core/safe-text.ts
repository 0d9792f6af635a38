/**
 * Text from outside (model IDs and names from catalogs, error messages and evidence from hosts)
 * made safe to show. A terminal obeys control sequences: an ID carrying `ESC[2J` clears the screen,
 * an OSC 8 sequence plants a hyperlink to any URL, BEL rings, a carriage return overwrites the line
 * and bidi overrides reorder what is read. In Markdown, HTML, the widget, alerts and chat messages
 * the same bytes are inert but garbage. Every control character is therefore shown visibly instead:
 * C0 as its Unicode control picture (ESC as `␛`, BEL as `␇`), DEL as `␡`, C1 and bidi controls as
 * `<U+XXXX>`. Tab and line feed are left alone (layout, not commands). Escaping for a markup
 * (HTML, Markdown) stays each renderer's job, after this.
 */

import { mapStringsDeep } from './deep-strings';

/** C0 but tab and line feed, DEL, C1, and the bidi embedding, override and isolate controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const visible = (ch: string): string => {
  const code = ch.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
};

/** `text` with every control character shown visibly; text without one is returned as it is. */
export function safeText(text: string): string {
  return text.replace(CONTROL, visible);
}

/**
 * Every string in a JSON-like value made safe (keys included), for a renderer to apply once to
 * all it was given. Values without a control character are returned as they are.
 */
export function safeDeep<T>(value: T): T {
  return mapStringsDeep(value, safeText);
}
