/**
 * The home dashboard's custom-widget Lambda: CloudWatch calls it with the widget's params and a
 * `widgetContext`, and shows the HTML string it returns. It only reads (Query) the results table,
 * which holds every probed region. A failure to read becomes an HTML message in the widget, never
 * a thrown error: a dashboard shows a thrown error as a bare stack trace.
 */
import { errorText } from '../adapters/bounded';
import type { Scope } from '../core/model';
import type { StoreReader } from '../core/ports';
import { renderRolloutWidget } from '../core/render/rollout-widget';
import { renderChangesWidget, renderMatrixWidget, renderWidgetError } from '../core/render/widget';
import { readStoredRegion, type StoredRegion } from '../core/stored-report';
import { parseSetting } from '../shared/settings';

export const WIDGET_VIEWS = ['rollout', 'matrix', 'changes', 'org', 'org-model'] as const;
export type WidgetView = (typeof WIDGET_VIEWS)[number];

/** What CloudWatch sends: the widget's own params at the top level, plus context. */
export interface WidgetEvent {
  readonly view?: string;
  /** `matrix`: the region shown (one of the home's probed regions). */
  readonly region?: string;
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
  /** The account whose regions the home shows. */
  readonly account: string;
  /** The probed regions, in the dashboard's order. */
  readonly regions: readonly string[];
  /** The rollout marks a region whose newest run is older than this. @default never */
  readonly staleAfterMs?: number;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

export const WIDGET_DESCRIPTION = `## bedrock-matrix widget
Shows the stored capability matrix from the home's results table (read-only).

Params: \`view\`: \`rollout\` (every region: when it last reported, and models x regions where each is supported), \`matrix\` with \`region\` (one region: models x endpoint/api, the last run, the last changes) or \`changes\` (recent confirmed changes of every region); \`days\`: how many days of changes (default 7 for matrix, 30 for changes).`;

export function createWidgetHandler(deps: WidgetDeps): (event: WidgetEvent) => Promise<string> {
  const now = deps.now ?? (() => new Date());
  return async (event) => {
    if (event.describe) return WIDGET_DESCRIPTION;
    const view: WidgetView = WIDGET_VIEWS.find((v) => v === event.view) ?? 'rollout';
    const fallbackDays = view === 'changes' ? 30 : 7;
    const days =
      typeof event.days === 'number' && event.days > 0 && event.days <= 365 ? event.days : fallbackDays;
    // The stack's setting, read by the setting's own parser; anything else falls back to the default.
    const parsed =
      typeof event.noticeDays === 'number' ? parseSetting('noticeDays', String(event.noticeDays)) : null;
    const noticeDays = parsed?.ok ? parsed.value : undefined;
    const at = now();
    const read = (region: string): Promise<StoredRegion> =>
      readStoredRegion(deps.store, { account: deps.account, region } satisfies Scope, {
        changesSince: new Date(at.getTime() - days * 86_400_000).toISOString(),
        // Only the rollout shows when each region's sentinel last ticked.
        withTick: view === 'rollout',
      });
    const where = view === 'matrix' ? String(event.region ?? '') : deps.regions.join(', ');
    try {
      if (view === 'matrix') {
        // Only a region the home watches: the param comes from the dashboard, not from a reader.
        const region = deps.regions.find((r) => r === event.region);
        if (!region)
          return renderWidgetError(where, `no probed region ${JSON.stringify(event.region ?? null)}`);
        return renderMatrixWidget(await read(region), {
          now: at,
          ...(noticeDays !== undefined ? { noticeDays } : {}),
        });
      }
      const stored = await Promise.all(deps.regions.map(read));
      return view === 'changes'
        ? renderChangesWidget(stored, { now: at })
        : renderRolloutWidget(stored, {
            now: at,
            ...(deps.staleAfterMs !== undefined ? { staleAfterMs: deps.staleAfterMs } : {}),
          });
    } catch (err) {
      // errorText names the dependency, the operation and the table, already scrubbed.
      return renderWidgetError(where, errorText(err));
    }
  };
}
