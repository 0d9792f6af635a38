/** The README's generated blocks, read the way test/cost compares them (shared by its README tests). */
import { readFileSync } from 'node:fs';

export const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** A block with the table's column padding taken out: the formatter (biome) aligns README tables. */
export const unpadded = (text: string): string =>
  text
    .split('\n')
    .map((line) => line.replace(/ {2,}/g, ' ').replace(/-{3,}/g, '---').replace(/ \|/g, ' |'))
    .join('\n');

/** The README's block between `<!-- name:begin -->` and `<!-- name:end -->`, as written. */
export const written = (name = 'cost'): string => {
  const m = new RegExp(`<!-- ${name}:begin -->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(README);
  return m?.[1] ?? `(no ${name} block in README.md)`;
};
