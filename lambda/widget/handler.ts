/**
 * The home dashboard's custom-widget Lambda: CloudWatch calls it with the widget's params and a
 * `widgetContext`, and shows the HTML string it returns. It only reads (Query) the results table,
 * which holds every probed region. A failure to read becomes an HTML message in the widget, never
 * a thrown error: a dashboard shows a thrown error as a bare stack trace.
 */
import { errorText } from '../adapters/bounded';
import type { Scope } from '../core/model';
import type { OrgReader } from '../core/org/ports';
import { ACCOUNT_ID_PATTERN } from '../core/org/types';
import { orgMatrixView, orgMemberView, orgModelView } from '../core/org/view';
import type { StoreReader } from '../core/ports';
import {
  renderOrgMatrixWidget,
  renderOrgMemberWidget,
  renderOrgModelWidget,
  renderOrgWidgetNotice,
} from '../core/render/org-widget';
import { renderRolloutWidget } from '../core/render/rollout-widget';
import { renderChangesWidget, renderMatrixWidget, renderWidgetError } from '../core/render/widget';
import { readStoredRegion, type StoredRegion } from '../core/stored-report';
import { memberStaleAfterMinutes } from '../shared/org-names';
import { parseSetting, REGION_PATTERN } from '../shared/settings';

export const WIDGET_VIEWS = ['rollout', 'matrix', 'changes', 'org', 'org-model', 'org-member'] as const;
export type WidgetView = (typeof WIDGET_VIEWS)[number];

/** What CloudWatch sends: the widget's own params at the top level, plus context. */
export interface WidgetEvent {
  readonly view?: string;
  /** `matrix`: the region shown (one of the home's probed regions); `org-member`: the member's region. */
  readonly region?: string;
  /** `org-member`: the member's account id (12 digits). */
  readonly account?: string;
  /** `org-model`: the model shown (its key). */
  readonly model?: string;
  /** Days of changes to list. */
  readonly days?: number;
  /** Days ahead retirement notices look (the stack's `noticeDays`). @default 30 */
  readonly noticeDays?: number;
  /** Set when the console asks the function to describe itself. */
  readonly describe?: boolean;
  readonly widgetContext?: { readonly dashboardName?: string; readonly width?: number };
}

/**
 * What Lambda passes beside the event: the function's own ARN, which the organization widget's
 * buttons call back (CloudWatch's `widgetContext` does not carry it).
 */
export interface WidgetInvocation {
  readonly invokedFunctionArn?: string;
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
  /**
   * An organization home's stored org cells, members and account names (views `org` and
   * `org-model`). Absent: those views answer that this is not an organization home.
   * @default none
   */
  readonly org?: OrgWidgetDeps;
}

export interface OrgWidgetDeps {
  readonly reader: OrgReader;
  /**
   * The organization's regions, in the dashboard's order (a region only cells name follows them).
   * @default the home's `regions`
   */
  readonly regions?: readonly string[];
  /** A member whose last event is older than this is stale. @default memberStaleAfterMinutes() */
  readonly staleAfterMs?: number;
}

export const WIDGET_DESCRIPTION = `## bedrock-matrix widget
Shows the stored capability matrix from the home's results table (read-only).

Params: \`view\`: \`rollout\` (every region: when it last reported, and models x regions where each is supported), \`matrix\` with \`region\` (one region: models x endpoint/api, the last run, the last changes) or \`changes\` (recent confirmed changes of every region); \`days\`: how many days of changes (default 7 for matrix, 30 for changes).
An organization home also has \`org\` (models x regions: how many accounts can use each model, why the others cannot, the members and those that stopped reporting, each member with a button to its own matrix), \`org-model\` with \`model\` (one model: every region x account, per api, and why not) and \`org-member\` with \`account\` and \`region\` (one member's own matrix: every model it reported there, per api, why not, its enforced guardrails and last event).`;

export function createWidgetHandler(
  deps: WidgetDeps,
): (event: WidgetEvent, invocation?: WidgetInvocation) => Promise<string> {
  const now = deps.now ?? (() => new Date());
  return async (event, invocation) => {
    if (event.describe) return WIDGET_DESCRIPTION;
    const view: WidgetView = WIDGET_VIEWS.find((v) => v === event.view) ?? 'rollout';
    if (view === 'org' || view === 'org-model' || view === 'org-member')
      return orgWidget(deps, view, event, now(), invocation?.invokedFunctionArn);
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

const ORG_TITLE = 'bedrock-matrix organization';

/**
 * `org-member`'s params, checked before any read: they come from the dashboard's JSON or from a
 * button's, so only a 12-digit account and a region's name are read.
 */
const memberParams = (
  event: WidgetEvent,
): { ok: true; account: string; region: string } | { ok: false; message: string } => {
  const { account, region } = event;
  if (typeof account !== 'string' || !ACCOUNT_ID_PATTERN.test(account))
    return {
      ok: false,
      message: `org-member needs an account param of 12 digits, got ${JSON.stringify(account ?? null)}`,
    };
  if (typeof region !== 'string' || !REGION_PATTERN.test(region))
    return {
      ok: false,
      message: `org-member needs a region param such as us-east-1, got ${JSON.stringify(region ?? null)}`,
    };
  return { ok: true, account, region };
};

/** The organization's views: read the org cells (Query only) and render them; never throws. */
async function orgWidget(
  deps: WidgetDeps,
  view: 'org' | 'org-model' | 'org-member',
  event: WidgetEvent,
  at: Date,
  endpoint: string | undefined,
) {
  const org = deps.org;
  if (!org) return renderOrgWidgetNotice(ORG_TITLE, 'not an organization home');
  const regions = org.regions ?? deps.regions;
  const buttons = endpoint ? { endpoint } : {};
  if (view === 'org-member') {
    const member = memberParams(event);
    if (!member.ok) return renderOrgWidgetNotice(ORG_TITLE, member.message);
    try {
      // One member's cells (one Query), not every region's.
      const [cells, members, accounts] = await Promise.all([
        org.reader.orgCellsOfRegion(member.region, member.account),
        org.reader.members(),
        org.reader.orgAccounts(),
      ]);
      return renderOrgMemberWidget(
        orgMemberView(member.account, member.region, { cells, accounts, members }),
        {
          now: at,
          ...buttons,
        },
      );
    } catch (err) {
      return renderOrgWidgetNotice(ORG_TITLE, `Cannot read the organization's cells: ${errorText(err)}`);
    }
  }
  // The param comes from the dashboard's JSON: only a non-empty string names a model.
  const model = typeof event.model === 'string' ? event.model.trim() : '';
  if (view === 'org-model' && model === '')
    return renderOrgWidgetNotice(
      ORG_TITLE,
      `org-model needs a model param, got ${JSON.stringify(event.model ?? null)}`,
    );
  try {
    if (view === 'org-model') {
      const [cells, accounts] = await Promise.all([org.reader.orgCells(model), org.reader.orgAccounts()]);
      return renderOrgModelWidget(orgModelView(model, { cells, accounts, regions }), { now: at });
    }
    const [cells, members, accounts] = await Promise.all([
      org.reader.orgCells(),
      org.reader.members(),
      org.reader.orgAccounts(),
    ]);
    const staleAfterMs = org.staleAfterMs ?? memberStaleAfterMinutes() * 60_000;
    return renderOrgMatrixWidget(
      orgMatrixView({ cells, members, accounts, regions, now: at, staleAfterMs }),
      { now: at, members, staleAfterMs, ...buttons },
    );
  } catch (err) {
    return renderOrgWidgetNotice(ORG_TITLE, `Cannot read the organization's cells: ${errorText(err)}`);
  }
}
