/**
 * The terminal matrix: one block per region, models down, endpoint x api across, then the legend,
 * the changes and the totals. Colour only when asked; without it the text holds no ANSI code.
 */
import pc from 'picocolors';
import { declaredDisagreements } from '../declared';
import type { Report, Status } from '../model';
import { retirementNotices } from '../retirement';
import { endpointApiTotals, totalDetails } from '../summary';
import {
  type Column,
  changeKindOf,
  describeChangeTarget,
  GUARDRAIL_ENFORCED_MARKER,
  GUARDRAIL_IGNORED_MARKER,
  idNotes,
  LEGEND_LINES,
  presenceOf,
  type RegionMatrix,
  regionMatrix,
  reportColumns,
  reportRegions,
  runFacts,
  SIMULATED_NOTICE,
  type Square,
  STATUS_GLYPH,
  scrub,
  sortedChanges,
  squareMarkers,
  statusOrDash,
} from './common';

export interface TableOptions {
  /** Colour statuses with ANSI codes (picocolors). */
  readonly color: boolean;
  /**
   * Terminal width in columns; the model column is truncated to fit when the matrix is wider.
   * @default no limit
   */
  readonly width?: number;
}

type Colors = ReturnType<typeof pc.createColors>;
type Paint = (s: string) => string;

/** A piece of text whose display width is known before it is coloured. */
interface Styled {
  readonly plain: string;
  readonly painted: string;
}

const MIN_MODEL_WIDTH = 12;
const SEP = ' │ ';

const displayWidth = (s: string): number => [...s].length;

const truncate = (s: string, width: number): string =>
  displayWidth(s) <= width ? s : `${[...s].slice(0, Math.max(0, width - 1)).join('')}…`;

const padPlain = (s: string, width: number): string => s + ' '.repeat(Math.max(0, width - displayWidth(s)));

const padStyled = (s: Styled, width: number): string =>
  s.painted + ' '.repeat(Math.max(0, width - displayWidth(s.plain)));

const statusPaint = (c: Colors, status: Status): Paint => {
  switch (status) {
    case 'supported':
    case 'enforced':
      return c.green;
    case 'unsupported':
      return c.yellow;
    case 'not-found':
    case 'skipped':
      return c.dim;
    case 'no-access':
      return c.magenta;
    case 'ignored':
    case 'error':
      return (s) => c.bold(c.red(s));
    case 'throttled':
      return c.cyan;
  }
};

const squareText = (c: Colors, sq: Square): Styled => {
  if (!sq.basic) return { plain: '', painted: '' };
  const glyph = STATUS_GLYPH[sq.basic.status];
  const { features, guardrail } = squareMarkers(sq);
  const plainParts = [glyph, features, guardrail].filter((p) => p !== '');
  const paintedParts = [statusPaint(c, sq.basic.status)(glyph)];
  if (features) paintedParts.push(c.cyan(features));
  if (guardrail === GUARDRAIL_ENFORCED_MARKER) paintedParts.push(c.green(guardrail));
  else if (guardrail === GUARDRAIL_IGNORED_MARKER) paintedParts.push(c.bold(c.red(guardrail)));
  else if (guardrail) paintedParts.push(c.yellow(guardrail));
  return { plain: plainParts.join(' '), painted: paintedParts.join(' ') };
};

const modelLabel = (row: RegionMatrix['rows'][number]): string =>
  [row.model.key, ...idNotes(row.model)].join('  ');

const renderRegion = (c: Colors, matrix: RegionMatrix, width: number | undefined): string[] => {
  const { columns } = matrix;
  const cells = matrix.rows.map((row) => row.squares.map((sq) => squareText(c, sq)));
  const colWidths = columns.map((col, i) =>
    Math.max(displayWidth(col.api), ...cells.map((r) => displayWidth(r[i]?.plain ?? ''))),
  );
  const labels = matrix.rows.map(modelLabel);
  let modelWidth = Math.max(displayWidth('model'), ...labels.map(displayWidth));
  const restWidth = colWidths.reduce((a, w) => a + w + SEP.length, 0);
  if (width !== undefined && modelWidth + restWidth > width)
    modelWidth = Math.max(MIN_MODEL_WIDTH, width - restWidth);

  // Group header: the endpoint name over its first column, spanning its api columns.
  const groups: { endpoint: string; width: number }[] = [];
  columns.forEach((col: Column, i) => {
    const w = colWidths[i] ?? 0;
    const last = groups.at(-1);
    if (last && last.endpoint === col.endpoint) last.width += w + SEP.length;
    else groups.push({ endpoint: col.endpoint, width: w });
  });
  const groupLine =
    ' '.repeat(modelWidth) +
    groups
      .map((g) => SEP + c.bold(g.endpoint) + ' '.repeat(Math.max(0, g.width - g.endpoint.length)))
      .join('');
  const headLine =
    c.bold('model'.padEnd(modelWidth)) +
    columns
      .map((col, i) => SEP + c.bold(col.api) + ' '.repeat((colWidths[i] ?? 0) - col.api.length))
      .join('');
  const rule = '─'.repeat(modelWidth) + colWidths.map((w) => `─┼─${'─'.repeat(w)}`).join('');

  const lines = [groupLine.trimEnd(), headLine.trimEnd(), c.dim(rule)];
  matrix.rows.forEach((_row, r) => {
    const label = truncate(labels[r] ?? '', modelWidth);
    const line =
      padPlain(label, modelWidth) +
      columns
        .map((_col, i) => SEP + padStyled(cells[r]?.[i] ?? { plain: '', painted: '' }, colWidths[i] ?? 0))
        .join('');
    lines.push(line.trimEnd());
  });
  return lines;
};

/** The readable terminal report. */
export const renderTable = (report: Report, opts: TableOptions): string => {
  const c = pc.createColors(opts.color);
  const out: string[] = [];

  if (report.source === 'simulator') {
    const banner = `!!! ${SIMULATED_NOTICE} !!!`;
    out.push(
      c.bold(c.yellow('═'.repeat(banner.length))),
      c.bold(c.yellow(banner)),
      c.bold(c.yellow('═'.repeat(banner.length))),
    );
  }
  out.push(`${c.bold('bedrock-matrix')}  ${runFacts(report).join('  ·  ')}`);
  if (report.guardrailControls && report.guardrailControls.length > 0) {
    const controls = report.guardrailControls.map(
      (g) => `${g.region} ${statusPaint(c, g.status)(g.status)} (${g.guardrailId}:${g.guardrailVersion})`,
    );
    out.push(`Guardrail control (ApplyGuardrail): ${controls.join(', ')}`);
  }

  const columns = reportColumns(report);
  const regions = reportRegions(report);
  for (const region of regions) {
    const matrix = regionMatrix(report, region, columns);
    out.push('', c.bold(`Region ${region}`) + c.dim(`  (${matrix.rows.length} models)`));
    if (matrix.rows.length === 0) out.push(c.dim('  no cells in this region'));
    else out.push(...renderRegion(c, matrix, opts.width));
  }

  out.push('', c.bold('Legend'), ...LEGEND_LINES.map((l) => `  ${l}`));

  if (report.changes.length > 0) {
    out.push('', c.bold(`Changes (${report.changes.length})`));
    for (const ch of sortedChanges(report.changes)) {
      const what = `  ${ch.region}  ${scrub(ch.model)}  ${describeChangeTarget(ch)}`;
      const presence = presenceOf(ch);
      if (presence) {
        out.push(presence === 'appeared' ? c.green(`${what} (+)`) : c.red(`${what} (−)`));
        continue;
      }
      if (changeKindOf(ch) !== 'cell') {
        // A notice or a kind this version does not know: no status to colour.
        out.push(c.yellow(`${what} (!)`));
        continue;
      }
      const to = ch.to === null ? statusOrDash(null) : statusPaint(c, ch.to)(ch.to);
      out.push(`${what}: ${statusOrDash(ch.from)} → ${to}`);
    }
  }

  const notices = retirementNotices(report);
  if (notices.length > 0) {
    out.push('', c.bold(`Retirement notices (${notices.length})`));
    for (const n of notices) out.push(c.yellow(`  ${scrub(n.message)}`));
  }

  const disagreements = declaredDisagreements(report);
  if (disagreements.length > 0) {
    out.push(
      '',
      c.bold(
        `Declared vs measured (${disagreements.length}): the catalog says one thing, the probe saw another`,
      ),
    );
    for (const d of disagreements) out.push(`  ${scrub(d.message)}`);
  }

  out.push('', c.bold('Totals'));
  for (const region of regions) {
    const totals = endpointApiTotals(report.cells, report.models, region);
    if (totals.length === 0) continue;
    out.push(`  ${c.bold(region)}`);
    for (const t of totals) {
      const others = totalDetails(t);
      const guard = [
        t.guardrail.enforced ? c.green(`${t.guardrail.enforced} enforced`) : '',
        t.guardrail.ignored ? c.bold(c.red(`${t.guardrail.ignored} ignored`)) : '',
      ].filter((g) => g !== '');
      const ratio = `${t.supported}/${t.listed} supported`;
      out.push(
        `    ${t.endpoint}/${t.api}: ${t.supported > 0 ? c.green(ratio) : ratio}` +
          (others.length > 0 ? c.dim(` (${others.join(', ')})`) : '') +
          (guard.length > 0 ? `  guardrail: ${guard.join(', ')}` : ''),
      );
    }
  }
  return `${out.join('\n')}\n`;
};
