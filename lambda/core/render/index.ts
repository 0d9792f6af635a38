/**
 * One entry point for every output format the CLI and the Lambda offer.
 */
import { renderCapabilities } from '../capability-map';
import { renderLiteLlm } from '../litellm';
import type { Report } from '../model';
import { safeDeep } from '../safe-text';
import { renderHtml } from './html';
import { renderJson } from './json';
import { renderMarkdown } from './markdown';
import { renderTable } from './table';

export { escapeHtml, renderHtml } from './html';
export { renderJson } from './json';
export { escapeCell, renderMarkdown } from './markdown';
export { renderTable, type TableOptions } from './table';

/** Formats of a report; `capabilities` and `litellm` are derived views (JSON), not report files. */
export const FORMATS = ['table', 'json', 'markdown', 'html', 'capabilities', 'litellm'] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderOptions {
  /**
   * Colour the `table` format with ANSI codes; ignored by the other formats.
   * @default false
   */
  readonly color?: boolean;
  /**
   * Terminal width for the `table` format.
   * @default no limit
   */
  readonly width?: number;
}

/**
 * Renders a report in one of the formats. The formats people read get the report's outside text
 * with control characters shown visibly (safe-text.ts); the JSON formats escape them already and
 * keep the data as it came.
 */
export const render = (raw: Report, format: Format, opts: RenderOptions = {}): string => {
  const report = format === 'table' || format === 'markdown' || format === 'html' ? safeDeep(raw) : raw;
  switch (format) {
    case 'table':
      return renderTable(report, {
        color: opts.color ?? false,
        ...(opts.width !== undefined ? { width: opts.width } : {}),
      });
    case 'json':
      return renderJson(report);
    case 'markdown':
      return renderMarkdown(report);
    case 'html':
      return renderHtml(report);
    case 'capabilities':
      return renderCapabilities(report);
    case 'litellm':
      return renderLiteLlm(report);
    default: {
      // A format string from the command line that slipped past the CLI's own check.
      const bad: never = format;
      throw new Error(`unknown format "${String(bad)}" (expected one of ${FORMATS.join(', ')})`);
    }
  }
};
