/** Reading the organization's text and Markdown views back in tests (org.test.ts, org-member.test.ts). */

/** The cells of the text grid's row whose first cell is `first`, trimmed. */
export const textRow = (text: string, first: string): string[] =>
  (text.split('\n').find((l) => l.startsWith(`${first} `)) ?? '').split('│').map((c) => c.trim());
/** The lines of a text section, from its heading to the next empty line. */
export const textSection = (text: string, heading: string): string[] => {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  const end = lines.findIndex((l, i) => i > start && l === '');
  return start === -1 ? [] : lines.slice(start + 1, end === -1 ? undefined : end).map((l) => l.trim());
};
/** Cells of a GFM table row: split on pipes that are not escaped. */
export const mdCells = (line: string): string[] =>
  line
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((c) => c.trim());
