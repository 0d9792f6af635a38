/** Renders a list of changes for `bedrock-matrix diff`, in the formats the other commands use. */
import type { Change } from '../lambda/core/model';
import {
  changeFromTo,
  describeChangeTarget,
  formatEvidence,
  sortedChanges,
} from '../lambda/core/render/common';
import { escapeCell } from '../lambda/core/render/markdown';
import { safeDeep } from '../lambda/core/safe-text';

export function renderChanges(
  changes: readonly Change[],
  format: 'table' | 'json' | 'markdown',
  title: string,
): string {
  const ordered = sortedChanges(format === 'json' ? changes : safeDeep(changes));
  if (format === 'json') return `${JSON.stringify({ title, changes: ordered }, null, 2)}\n`;
  if (format === 'markdown') {
    const rows = ordered.map((c) => {
      const [from, to] = changeFromTo(c);
      return `| ${[c.region, c.model, describeChangeTarget(c), from, to, c.at ?? '', c.evidence ? formatEvidence(c.evidence) : ''].map(escapeCell).join(' | ')} |`;
    });
    return [
      `## ${escapeCell(title)}`,
      '',
      `${ordered.length} change(s)`,
      '',
      '| region | model | cell | from | to | when | evidence |',
      '|---|---|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n');
  }
  const lines = ordered.map((c) => {
    const [from, to] = changeFromTo(c);
    const head = `${c.region}  ${c.model}  ${describeChangeTarget(c)}: ${from} -> ${to}${c.at ? `  (${c.at})` : ''}`;
    return c.evidence ? `${head}\n    ${formatEvidence(c.evidence)}` : head;
  });
  return [`${title}: ${ordered.length} change(s)`, ...lines, ''].join('\n');
}
