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
   * Terminal width in columns. A matrix wider than this is drawn compact (status glyphs without
   * their words, short api names, model keys without their per-host IDs, then shortened), and
   * longer prose lines wrap. The CLI passes the terminal's width, 100 when not a terminal, and
   * nothing with `--wide`.
   * @default no limit (the full view)
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
/** The compact view's separator: one column instead of three, per api column. */
const COMPACT_SEP = '│';
/** Short api names for the compact view's header; the legend names the full ones. */
const SHORT_API: Readonly<Record<string, string>> = {
  converse: 'conv',
  invoke: 'inv',
  chat: 'chat',
  responses: 'resp',
  messages: 'msgs',
};

const displayWidth = (s: string): number => [...s].length;

const truncate = (s: string, width: number): string =>
  displayWidth(s) <= width ? s : `${[...s].slice(0, Math.max(0, width - 1)).join('')}…`;

/**
 * Greedy word wrap of plain text to `width` columns, continuation lines indented; a word longer
 * than a line is cut, so no line is wider than `width`. Without a width the text is one line.
 */
export const wrapText = (text: string, width: number | undefined, indent = '    '): string[] => {
  if (width === undefined || displayWidth(text) <= width) return [text];
  const lead = /^\s*/.exec(text)?.[0] ?? '';
  const lines: string[] = [];
  let line = lead;
  let fresh = true;
  const room = () => width - displayWidth(line);
  for (let word of text.trim().split(/\s+/)) {
    const gap = fresh ? 0 : 1;
    if (displayWidth(word) + gap > room() && !fresh) {
      lines.push(line);
      line = indent;
      fresh = true;
    }
    while (displayWidth(word) > room()) {
      const cut = Math.max(1, room());
      lines.push(line + [...word].slice(0, cut).join(''));
      word = [...word].slice(cut).join('');
      line = indent;
    }
    line += (fresh ? '' : ' ') + word;
    fresh = false;
  }
  lines.push(line);
  return lines;
};

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

const squareText = (c: Colors, sq: Square, compact = false): Styled => {
  if (!sq.basic) return { plain: '', painted: '' };
  // Compact: the glyph alone (`✗`, not `✗ unsup`); the legend's first lines say what each means.
  const full = STATUS_GLYPH[sq.basic.status];
  const glyph = compact ? (full.split(' ')[0] ?? full) : full;
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

interface Layout {
  readonly sep: string;
  readonly apiName: (api: string) => string;
  readonly cells: Styled[][];
  readonly colWidths: number[];
  readonly labels: string[];
  readonly modelWidth: number;
  readonly restWidth: number;
}

const layout = (c: Colors, matrix: RegionMatrix, compact: boolean): Layout => {
  const sep = compact ? COMPACT_SEP : SEP;
  const apiName = (api: string): string => (compact ? (SHORT_API[api] ?? api) : api);
  const cells = matrix.rows.map((row) => row.squares.map((sq) => squareText(c, sq, compact)));
  const colWidths = matrix.columns.map((col, i) =>
    Math.max(displayWidth(apiName(col.api)), ...cells.map((r) => displayWidth(r[i]?.plain ?? ''))),
  );
  const labels = matrix.rows.map((row) => (compact ? row.model.key : modelLabel(row)));
  const modelWidth = Math.max(displayWidth('model'), ...labels.map(displayWidth));
  const restWidth = colWidths.reduce((a, w) => a + w + sep.length, 0);
  return { sep, apiName, cells, colWidths, labels, modelWidth, restWidth };
};

const renderRegion = (
  c: Colors,
  matrix: RegionMatrix,
  width: number | undefined,
): { lines: string[]; compact: boolean } => {
  const { columns } = matrix;
  const full = layout(c, matrix, false);
  const fits = width === undefined || full.modelWidth + full.restWidth <= width;
  const { sep, apiName, cells, colWidths, labels, restWidth, ...rest } = fits
    ? full
    : layout(c, matrix, true);
  let { modelWidth } = rest;
  if (width !== undefined && modelWidth + restWidth > width)
    modelWidth = Math.max(MIN_MODEL_WIDTH, width - restWidth);

  // Group header: the endpoint name over its first column, spanning its api columns.
  const groups: { endpoint: string; width: number }[] = [];
  columns.forEach((col: Column, i) => {
    const w = colWidths[i] ?? 0;
    const last = groups.at(-1);
    if (last && last.endpoint === col.endpoint) last.width += w + sep.length;
    else groups.push({ endpoint: col.endpoint, width: w });
  });
  const groupLine =
    ' '.repeat(modelWidth) +
    groups
      .map((g) => sep + c.bold(g.endpoint) + ' '.repeat(Math.max(0, g.width - g.endpoint.length)))
      .join('');
  const headLine =
    c.bold('model'.padEnd(modelWidth)) +
    columns
      .map(
        (col, i) =>
          sep + c.bold(apiName(col.api)) + ' '.repeat((colWidths[i] ?? 0) - apiName(col.api).length),
      )
      .join('');
  const cross = sep.replace(/ /g, '─').replace('│', '┼');
  const rule = '─'.repeat(modelWidth) + colWidths.map((w) => `${cross}${'─'.repeat(w)}`).join('');

  const lines = [groupLine.trimEnd(), headLine.trimEnd(), c.dim(rule)];
  matrix.rows.forEach((_row, r) => {
    const label = truncate(labels[r] ?? '', modelWidth);
    const line =
      padPlain(label, modelWidth) +
      columns
        .map((_col, i) => sep + padStyled(cells[r]?.[i] ?? { plain: '', painted: '' }, colWidths[i] ?? 0))
        .join('');
    lines.push(line.trimEnd());
  });
  return { lines, compact: !fits };
};

/** The readable terminal report. */
export const renderTable = (report: Report, opts: TableOptions): string => {
  const c = pc.createColors(opts.color);
  const out: string[] = [];

  const width = opts.width;
  // Prose wraps to the width too: a wrapped line is painted line by line, never across a break.
  const wrapped = (text: string, paint: Paint = (x) => x, indent = '    '): string[] =>
    wrapText(text, width, indent).map(paint);

  if (report.source === 'simulator') {
    const banner = wrapText(`!!! ${SIMULATED_NOTICE} !!!`, width, '    ');
    const rule = '═'.repeat(Math.max(...banner.map(displayWidth)));
    out.push(c.bold(c.yellow(rule)), ...banner.map((b) => c.bold(c.yellow(b))), c.bold(c.yellow(rule)));
  }
  const [factsHead = '', ...factsRest] = wrapText(`bedrock-matrix  ${runFacts(report).join('  ·  ')}`, width);
  out.push(factsHead.replace(/^bedrock-matrix/, c.bold('bedrock-matrix')), ...factsRest);
  if (report.guardrailControls && report.guardrailControls.length > 0) {
    const controls = report.guardrailControls.map(
      (g) => `${g.region} ${statusPaint(c, g.status)(g.status)} (${g.guardrailId}:${g.guardrailVersion})`,
    );
    const plain = report.guardrailControls.map(
      (g) => `${g.region} ${g.status} (${g.guardrailId}:${g.guardrailVersion})`,
    );
    const line = `Guardrail control (ApplyGuardrail): ${plain.join(', ')}`;
    // Coloured when it fits; wrapped plain when it does not (a break must not split a colour).
    out.push(
      ...(width !== undefined && displayWidth(line) > width
        ? wrapped(line)
        : [`Guardrail control (ApplyGuardrail): ${controls.join(', ')}`]),
    );
  }

  const columns = reportColumns(report);
  const regions = reportRegions(report);
  let compact = false;
  for (const region of regions) {
    const matrix = regionMatrix(report, region, columns);
    out.push('', c.bold(`Region ${region}`) + c.dim(`  (${matrix.rows.length} models)`));
    if (matrix.rows.length === 0) out.push(c.dim('  no cells in this region'));
    else {
      const drawn = renderRegion(c, matrix, width);
      compact ||= drawn.compact;
      out.push(...drawn.lines);
    }
  }

  out.push('', c.bold('Legend'), ...LEGEND_LINES.flatMap((l) => wrapped(`  ${l}`)));
  if (compact)
    out.push(
      ...wrapped(
        `  Compact to fit ${width} columns (conv inv chat resp msgs = converse invoke chat responses messages); --wide shows status words and per-host model IDs`,
      ),
    );

  if (report.changes.length > 0) {
    out.push('', c.bold(`Changes (${report.changes.length})`));
    for (const ch of sortedChanges(report.changes)) {
      const what = `  ${ch.region}  ${scrub(ch.model)}  ${describeChangeTarget(ch)}`;
      const presence = presenceOf(ch);
      if (presence) {
        out.push(
          ...(presence === 'appeared' ? wrapped(`${what} (+)`, c.green) : wrapped(`${what} (−)`, c.red)),
        );
        continue;
      }
      if (changeKindOf(ch) !== 'cell') {
        // A notice or a kind this version does not know: no status to colour.
        out.push(...wrapped(`${what} (!)`, c.yellow));
        continue;
      }
      const to = ch.to === null ? statusOrDash(null) : statusPaint(c, ch.to)(ch.to);
      const plain = `${what}: ${statusOrDash(ch.from)} → ${statusOrDash(ch.to)}`;
      out.push(
        ...(width !== undefined && displayWidth(plain) > width
          ? wrapped(plain)
          : [`${what}: ${statusOrDash(ch.from)} → ${to}`]),
      );
    }
  }

  const notices = retirementNotices(report);
  if (notices.length > 0) {
    out.push('', c.bold(`Retirement notices (${notices.length})`));
    for (const n of notices) out.push(...wrapped(`  ${scrub(n.message)}`, c.yellow));
  }

  const disagreements = declaredDisagreements(report);
  if (disagreements.length > 0) {
    out.push(
      '',
      ...wrapped(
        `Declared vs measured (${disagreements.length}): the catalog says one thing, the probe saw another`,
        c.bold,
      ),
    );
    for (const d of disagreements) out.push(...wrapped(`  ${scrub(d.message)}`));
  }

  out.push('', c.bold('Totals'));
  for (const region of regions) {
    const totals = endpointApiTotals(report.cells, report.models, region);
    if (totals.length === 0) continue;
    out.push(`  ${c.bold(region)}`);
    for (const t of totals) {
      const others = totalDetails(t);
      const guardPlain = [
        t.guardrail.enforced ? `${t.guardrail.enforced} enforced` : '',
        t.guardrail.ignored ? `${t.guardrail.ignored} ignored` : '',
      ].filter((g) => g !== '');
      const guard = [
        t.guardrail.enforced ? c.green(`${t.guardrail.enforced} enforced`) : '',
        t.guardrail.ignored ? c.bold(c.red(`${t.guardrail.ignored} ignored`)) : '',
      ].filter((g) => g !== '');
      const ratio = `${t.supported}/${t.listed} supported`;
      const main =
        `    ${t.endpoint}/${t.api}: ${t.supported > 0 ? c.green(ratio) : ratio}` +
        (others.length > 0 ? c.dim(` (${others.join(', ')})`) : '');
      const plainMain = `    ${t.endpoint}/${t.api}: ${ratio}${others.length > 0 ? ` (${others.join(', ')})` : ''}`;
      const guardText = guard.length > 0 ? `  guardrail: ${guard.join(', ')}` : '';
      const plainGuard = guard.length > 0 ? `  guardrail: ${guardPlain.join(', ')}` : '';
      // Too wide for the terminal: the guardrail verdicts go on a line of their own.
      if (width === undefined || displayWidth(plainMain + plainGuard) <= width) out.push(main + guardText);
      else {
        out.push(...(displayWidth(plainMain) <= width ? [main] : wrapped(plainMain, undefined, '      ')));
        if (guardText) out.push(`      ${guardText.trimStart()}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
};
