/**
 * The dashboard's custom-widget Lambda: CloudWatch calls it with the widget's params and a
 * `widgetContext`, and shows the HTML string it returns. It only reads (Query) the results table.
 * A failure to read becomes an HTML message in the widget, never a thrown error: a dashboard
 * shows a thrown error as a bare stack trace.
 */
import { errorText } from '../adapters/bounded';
import type { StoreReader } from '../core/ports';
import { renderChangesWidget, renderMatrixWidget, renderWidgetError } from '../core/render/widget';
import { readStoredRegion } from '../core/stored-report';
import { parseSetting } from '../shared/settings';

export const WIDGET_VIEWS = ['matrix', 'changes'] as const;
export type WidgetView = (typeof WIDGET_VIEWS)[number];

/** What CloudWatch sends: the widget's own params at the top level, plus context. */
export interface WidgetEvent {
  readonly view?: string;
  /** Days of changes to list. */
  readonly days?: number;
  /** Days ahead retirement notices look (the stack's `noticeDays`). @default 30 */
  readonly noticeDays?: number;
  /** Set when the console asks the function to describe itself. */
  readonly describe?: boolean;
  readonly widgetContext?: { readonly dashboardName?: string; readonly width?: number };
}

export interface WidgetDeps {
  readonly store: StoreReader;
  readonly region: string;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

export const WIDGET_DESCRIPTION = `## bedrock-matrix widget
Shows the stored capability matrix of this region from the results table (read-only).

Params: \`view\`: \`matrix\` (models x endpoint/api, the last run, the last changes) or \`changes\` (recent confirmed changes); \`days\`: how many days of changes (default 7 for matrix, 30 for changes).`;

export function createWidgetHandler(deps: WidgetDeps): (event: WidgetEvent) => Promise<string> {
  const now = deps.now ?? (() => new Date());
  return async (event) => {
    if (event.describe) return WIDGET_DESCRIPTION;
    const view: WidgetView = event.view === 'changes' ? 'changes' : 'matrix';
    const fallbackDays = view === 'changes' ? 30 : 7;
    const days =
      typeof event.days === 'number' && event.days > 0 && event.days <= 365 ? event.days : fallbackDays;
    // The stack's setting, read by the setting's own parser; anything else falls back to the default.
    const parsed =
      typeof event.noticeDays === 'number' ? parseSetting('noticeDays', String(event.noticeDays)) : null;
    const noticeDays = parsed?.ok ? parsed.value : undefined;
    const at = now();
    try {
      const stored = await readStoredRegion(deps.store, deps.region, {
        changesSince: new Date(at.getTime() - days * 86_400_000).toISOString(),
      });
      return view === 'changes'
        ? renderChangesWidget(stored, { now: at })
        : renderMatrixWidget(stored, { now: at, ...(noticeDays !== undefined ? { noticeDays } : {}) });
    } catch (err) {
      // errorText names the dependency, the operation and the table, already scrubbed.
      return renderWidgetError(deps.region, errorText(err));
    }
  };
}
