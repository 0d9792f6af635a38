/**
 * An account's cells in one region: the region fact (what the probe account's confirmed matrix
 * says the region serves) combined with the account fact (GetFoundationModelAvailability), where
 * only the account's own probe may overrule either. Pure: facts and the stored cells in, the new
 * cells and what moved out. An answer that decides nothing (`unknown`, a transient probe) never
 * moves a known cell, as transient statuses never move a region's confirmed state.
 */
import { appliesTo } from '../enforced';
import { type Api, type CellKey, type Endpoint, type Evidence, isTransient, type Status } from '../model';
import { availabilityVerdict } from './availability';
import type {
  AccountFacts,
  AccountProbe,
  FactKind,
  OrgAccess,
  OrgApiCell,
  OrgCell,
  OrgChange,
  RegionFactCell,
  RegionFacts,
} from './types';

/** Which access a model as a whole shows when its apis differ: the most usable, `not-offered` last. */
const MODEL_ORDER: readonly OrgAccess[] = [
  'usable',
  'no-access',
  'denied',
  'broken',
  'unknown',
  'not-offered',
];

/**
 * IAM's wording of an explicit deny (an SCP, a permissions boundary or a policy's Deny), at the end
 * of its AccessDeniedException message (docs/bedrock-wire.md "Accounts on the wire").
 */
const EXPLICIT_DENY = /with an explicit deny in an? ([a-z -]*policy)/i;

/** The cells an organization keeps of a matrix: basic (does the api answer) and guardrail. */
export const isFactVariant = (c: { readonly variant: string }): boolean =>
  c.variant === 'basic' || c.variant === 'guardrail';

/** A cell of a matrix (a probe's result or a confirmed cell) as an organization fact. */
export const factOf = (
  c: CellKey & { readonly status: Status; readonly evidence: Evidence },
): AccountProbe => ({
  model: c.model,
  endpoint: c.endpoint,
  api: c.api,
  variant: c.variant,
  status: c.status,
  reason: probeReason(c.evidence),
});

/**
 * A probed cell's reason as the org reads it: the classifier's reason, with the kind of explicit
 * deny named when only the (longer, possibly cut) raw message says it.
 */
export function probeReason(evidence: {
  readonly reason: string | null;
  readonly message: string | null;
}): string {
  const reason = evidence.reason ?? evidence.message ?? '';
  const deny = EXPLICIT_DENY.exec(evidence.message ?? '') ?? EXPLICIT_DENY.exec(reason);
  if (!deny || EXPLICIT_DENY.test(reason)) return reason;
  const kind = deny[1] ?? 'policy';
  return `explicit deny in ${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind}: ${reason}`;
}

export interface CombineInput {
  readonly region: string;
  readonly account: string;
  readonly regionFacts: RegionFacts | null;
  readonly accountFacts: AccountFacts | null;
  /** This account-region's stored cells, by model key. */
  readonly previous: ReadonlyMap<string, OrgCell>;
  /** When this recompute happens (ISO): `lastVerified` of what it confirmed. */
  readonly at: string;
  /** Where the newest evidence is (`event:<id>`). */
  readonly evidence: string;
}

export interface CombineResult {
  /** Cells that differ from the stored ones in anything but nothing (written back). */
  readonly cells: readonly OrgCell[];
  /** Cells whose access moved (the model's or an api's), for the org outbox. */
  readonly changes: readonly OrgChange[];
}

type ApiKey = `${Endpoint}/${Api}`;
const apiKey = (c: { readonly endpoint: Endpoint; readonly api: Api }): ApiKey => `${c.endpoint}/${c.api}`;

export function combine(input: CombineInput): CombineResult {
  const { regionFacts, accountFacts, previous } = input;
  const models = new Set([
    ...Object.keys(regionFacts?.models ?? {}),
    ...Object.keys(accountFacts?.availability ?? {}),
    ...Object.keys(accountFacts?.probes ?? {}),
  ]);
  // A member's first facts, or a region's, are the baseline: stored, never alerted. A cell that
  // turns known later is an arrival only when it appeared after that baseline (a model new to the
  // region), not when the account's first probes resolved it.
  const baseline = previous.size === 0;
  const baselineAt = [...previous.values()].map((c) => c.firstSeen).sort()[0] ?? input.at;
  const cells: OrgCell[] = [];
  const changes: OrgChange[] = [];
  for (const model of [...models].sort()) {
    const prev = previous.get(model);
    const next = cellOf(model, input, prev);
    if (prev && sameCell(prev, next)) continue;
    cells.push(next);
    const moved = movedApis(prev, next);
    const lateResolve = prev?.access === 'unknown' && prev.firstSeen <= baselineAt;
    if (
      !baseline &&
      !lateResolve &&
      !refinement(prev, next, () => cellOf(model, withoutProbes(input), prev)) &&
      (prev?.access !== next.access || moved.length > 0) &&
      next.access !== 'unknown'
    ) {
      changes.push({
        model,
        region: input.region,
        account: input.account,
        // A model first known now (a cell that was only `unknown`) is an arrival, not a move.
        from: prev && prev.access !== 'unknown' ? prev.access : null,
        to: next.access,
        reason: next.reason,
        at: input.at,
        apis: moved,
      });
    }
  }
  return { cells, changes };
}

function cellOf(model: string, input: CombineInput, prev: OrgCell | undefined): OrgCell {
  const regionAll = input.regionFacts?.models[model] ?? [];
  const probeAll = input.accountFacts?.probes[model] ?? [];
  const regionCells = regionAll.filter((c) => c.variant === 'basic');
  const probes = probeAll.filter((p) => p.variant === 'basic');
  // The guardrail verdict of an api: the account's own (its enforced guardrails apply there), else the region's.
  const guardrailOf = (endpoint: Endpoint, api: Api): Status | undefined => {
    const own = probeAll.find((p) => p.variant === 'guardrail' && p.endpoint === endpoint && p.api === api);
    if (own && !isTransient(own.status)) return own.status;
    return regionAll.find((c) => c.variant === 'guardrail' && c.endpoint === endpoint && c.api === api)
      ?.status;
  };
  const availability = input.accountFacts?.availability[model];
  const verdict = availability ? availabilityVerdict(availability) : null;
  const keys = new Map<ApiKey, { endpoint: Endpoint; api: Api }>();
  for (const c of [...regionCells, ...probes]) keys.set(apiKey(c), { endpoint: c.endpoint, api: c.api });
  const prevApis = new Map((prev?.apis ?? []).map((a) => [apiKey(a), a]));

  const apis = [...keys.values()]
    .map(({ endpoint, api }): OrgApiCell => {
      const region = regionCells.find((c) => c.endpoint === endpoint && c.api === api);
      const probe = probes.find((p) => p.endpoint === endpoint && p.api === api);
      const guardrail = guardrailOf(endpoint, api);
      const judged = {
        ...apiCell(endpoint, api, region, probe, verdict),
        ...(guardrail ? { guardrail } : {}),
      };
      const before = prevApis.get(apiKey(judged));
      return judged.access === 'unknown' && before && before.access !== 'unknown' ? before : judged;
    })
    .sort((a, b) => apiKey(a).localeCompare(apiKey(b)));

  const whole = modelAccess(apis, verdict);
  const kept = whole.access === 'unknown' && prev && prev.access !== 'unknown';
  const changed = !prev || prev.access !== whole.access || movedApis(prev, { apis }).length > 0;
  return {
    model,
    region: input.region,
    account: input.account,
    access: kept ? prev.access : whole.access,
    reason: kept ? prev.reason : whole.reason,
    fact: kept ? prev.fact : whole.fact,
    apis,
    enforced: enforcedOn(model, input.accountFacts),
    firstSeen: prev?.firstSeen ?? input.at,
    lastChanged: changed && !kept ? input.at : (prev?.lastChanged ?? input.at),
    lastVerified: whole.access === 'unknown' ? (prev?.lastVerified ?? input.at) : input.at,
    evidence: kept ? prev.evidence : input.evidence,
  };
}

/** One api: the account's own decisive probe, else the region fact filtered by the account's access. */
function apiCell(
  endpoint: Endpoint,
  api: Api,
  region: RegionFactCell | undefined,
  probe: AccountProbe | undefined,
  verdict: ReturnType<typeof availabilityVerdict> | null,
): OrgApiCell {
  const cell = (access: OrgAccess, reason: string, fact: FactKind): OrgApiCell => ({
    endpoint,
    api,
    access,
    reason,
    fact,
  });
  if (probe && !isTransient(probe.status)) {
    if (probe.status === 'supported') return cell('usable', 'the account\u2019s own probe answered', 'probe');
    if (probe.status === 'no-access') {
      return /explicit deny/i.test(probe.reason)
        ? cell('denied', probe.reason, 'probe')
        : cell('no-access', probe.reason, 'probe');
    }
    if (probe.status === 'unsupported' || probe.status === 'not-found') {
      return region?.status === 'supported'
        ? cell(
            'broken',
            `the region serves it, this account\u2019s probe says ${probe.status}: ${probe.reason}`,
            'probe',
          )
        : cell('not-offered', probe.reason, 'probe');
    }
  }
  if (verdict?.access === 'not-offered') return cell('not-offered', verdict.reason, 'account');
  if (!region) return cell('unknown', 'no region fact yet', 'region');
  if (region.status === 'unsupported' || region.status === 'not-found') {
    return cell('not-offered', `the region does not serve it (${region.status}: ${region.reason})`, 'region');
  }
  if (region.status !== 'supported') {
    return cell('unknown', `the region fact is ${region.status}: ${region.reason}`, 'region');
  }
  if (!verdict) return cell('unknown', 'no account fact yet', 'account');
  if (verdict.access === 'usable')
    return cell('usable', 'served in the region; the account is authorized', 'region');
  return cell(verdict.access, verdict.reason, 'account');
}

function modelAccess(
  apis: readonly OrgApiCell[],
  verdict: ReturnType<typeof availabilityVerdict> | null,
): { access: OrgAccess; reason: string; fact: FactKind } {
  if (apis.length === 0) {
    if (!verdict) return { access: 'unknown', reason: 'no fact yet', fact: 'region' };
    if (verdict.access === 'usable')
      return { access: 'unknown', reason: 'no region fact yet', fact: 'region' };
    return { access: verdict.access, reason: verdict.reason, fact: 'account' };
  }
  for (const access of MODEL_ORDER) {
    const found = apis.find((a) => a.access === access);
    if (found) {
      const names = apis.filter((a) => a.access === access).map(apiKey);
      return {
        access,
        reason: access === 'usable' ? `usable through ${names.join(', ')}` : found.reason,
        fact: found.fact,
      };
    }
  }
  return { access: 'unknown', reason: 'no fact yet', fact: 'region' };
}

/** The account's enforced guardrails that cover this model, `id:version`. */
function enforcedOn(model: string, facts: AccountFacts | null): string[] {
  return (facts?.enforced ?? [])
    .filter((g) => appliesTo(g, { key: model, provider: '', ids: {}, sources: [] }))
    .map((g) => `${g.guardrailId}${g.guardrailVersion ? `:${g.guardrailVersion}` : ''}`)
    .sort();
}

/** `endpoint/api: from -> to` for each api whose access moved. */
function movedApis(prev: OrgCell | undefined, next: Pick<OrgCell, 'apis'>): string[] {
  const before = new Map((prev?.apis ?? []).map((a) => [apiKey(a), a]));
  const access = next.apis
    .filter((a) => (before.get(apiKey(a))?.access ?? null) !== a.access && a.access !== 'unknown')
    .map((a) => `${apiKey(a)}: ${before.get(apiKey(a))?.access ?? 'new'} -> ${a.access}`);
  // A guardrail verdict that moved (not its first measurement): does it still stop a request?
  const guardrail = next.apis.flatMap((a) => {
    const was = before.get(apiKey(a))?.guardrail;
    return was && a.guardrail && was !== a.guardrail
      ? [`${apiKey(a)} guardrail: ${was} -> ${a.guardrail}`]
      : [];
  });
  return [...access, ...guardrail];
}

/**
 * The account's first own probe of a known cell: the baseline made exact (an SCP deny found by the
 * first probe after deployment was there all along), not a change. Only while the other facts say
 * what they said: a move of availability that the probe confirms in the same event is a move.
 */
const refinement = (prev: OrgCell | undefined, next: OrgCell, unprobed: () => OrgCell): boolean =>
  prev !== undefined &&
  prev.access !== 'unknown' &&
  !prev.apis.some((a) => a.fact === 'probe') &&
  next.apis.some((a) => a.fact === 'probe') &&
  unprobed().access === prev.access;

/** The same facts without the account's probes: what the cell would be, had the account not probed. */
const withoutProbes = (input: CombineInput): CombineInput =>
  input.accountFacts ? { ...input, accountFacts: { ...input.accountFacts, probes: {} } } : input;

/** Equal in what a reader sees (not when it was last verified). */
function sameCell(a: OrgCell, b: OrgCell): boolean {
  return (
    a.access === b.access &&
    a.reason === b.reason &&
    a.fact === b.fact &&
    a.enforced.join() === b.enforced.join() &&
    JSON.stringify(a.apis) === JSON.stringify(b.apis) &&
    // A cell re-verified a day later is written once a day, so `lastVerified` stays honest.
    Date.parse(b.lastVerified) - Date.parse(a.lastVerified) < DAY_MS
  );
}

const DAY_MS = 86_400_000;
