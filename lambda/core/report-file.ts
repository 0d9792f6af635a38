/**
 * Reads a report file (schema version 1, README.md) back into a `Report`, refusing anything that
 * is not that shape with a one-line reason naming the file and the bad field. The writer is
 * `render/json.ts`; fields it derives (retirement notices, declared-vs-measured disagreements) are
 * recomputed from the report, never read.
 */

import { STORED_RUN_KINDS } from '../shared/names';
import {
  APIS,
  CATALOG_SOURCES,
  type CellResult,
  type Change,
  type ChangeKind,
  type ChangeNotice,
  type DeclaredModel,
  ENDPOINTS,
  type Evidence,
  FEATURE_VARIANTS,
  type GuardrailControl,
  type ModelEntry,
  NOTICE_KINDS,
  type Report,
  RUN_SOURCES,
  type RunProblem,
  STATUSES,
  type StatusCounts,
  type Summary,
  VARIANTS,
} from './model';
import { evidenceOut } from './render/json';
import { orderedSummary, summarize } from './summary';

/** A report file that is not schema version 1; the message is one line naming file and field. */
export class ReportFormatError extends Error {
  override readonly name = 'ReportFormatError';
  constructor(
    readonly source: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${source}: ${field}: ${problem}`);
  }
}

export const EVIDENCE_NUMBERS = ['httpStatus', 'latencyMs', 'ttfbMs', 'inputTokens', 'outputTokens'] as const;
export const EVIDENCE_STRINGS = [
  'errorType',
  'errorCode',
  'message',
  'route',
  'modelId',
  'responseIdPrefix',
  'requestId',
  'reason',
] as const;
const PROBLEM_SCOPES: readonly RunProblem['scope'][] = ['mantle', 'runtime', 'control', 'store', 'alert'];
/**
 * A change kind is a lower-case word: a file written by a newer bedrock-matrix may carry a kind
 * this one does not know yet, and every renderer shows an unknown kind by its name.
 */
const CHANGE_KIND = /^[a-z][a-z0-9-]{0,63}$/;

export const show = (value: unknown): string => {
  if (value === undefined) return 'missing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
};

const kind = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'an array'
      : typeof value === 'object'
        ? 'an object'
        : typeof value;

type Obj = Record<string, unknown>;

/**
 * Field-by-field reader that knows where it is, so every complaint names the exact path. The
 * store's item parser (adapters/store/items.ts) reads with it too, `source` naming the item.
 */
export class Reader {
  constructor(private readonly source: string) {}

  fail(field: string, problem: string): never {
    throw new ReportFormatError(this.source, field, problem);
  }

  object(value: unknown, field: string): Obj {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      this.fail(field, `expected an object, got ${value === undefined ? 'nothing' : kind(value)}`);
    return value as Obj;
  }

  array(value: unknown, field: string): unknown[] {
    if (!Array.isArray(value))
      this.fail(field, `expected an array, got ${value === undefined ? 'nothing' : kind(value)}`);
    return value;
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string') this.fail(field, `expected a string, got ${show(value)}`);
    return value;
  }

  nullableString(value: unknown, field: string): string | null {
    if (value === undefined || value === null) return null;
    return this.string(value, field);
  }

  nullableNumber(value: unknown, field: string): number | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'number' || !Number.isFinite(value))
      this.fail(field, `expected a number or null, got ${show(value)}`);
    return value;
  }

  count(value: unknown, field: string): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
      this.fail(field, `expected a count (integer >= 0), got ${show(value)}`);
    return value;
  }

  word<T extends string>(value: unknown, field: string, words: readonly T[], what: string): T {
    if (typeof value !== 'string' || !(words as readonly string[]).includes(value))
      this.fail(field, `unknown ${what} ${show(value)}`);
    return value as T;
  }

  /** An optional array field: undefined when absent, else each element read by `each`. */
  optionalArray<T>(value: unknown, field: string, each: (v: unknown, f: string) => T): T[] | undefined {
    if (value === undefined) return undefined;
    return this.array(value, field).map((v, i) => each(v, `${field}[${i}]`));
  }

  nullableWord<T extends string>(value: unknown, field: string, words: readonly T[], what: string): T | null {
    if (value === null || value === undefined) return null;
    return this.word(value, field, words, what);
  }
}

const parseEvidence = (r: Reader, value: unknown, field: string): Evidence => {
  const o = r.object(value, field);
  const out: Record<string, unknown> = {};
  for (const k of EVIDENCE_NUMBERS) out[k] = r.nullableNumber(o[k], `${field}.${k}`);
  for (const k of EVIDENCE_STRINGS) out[k] = r.nullableString(o[k], `${field}.${k}`);
  const base = evidenceOut(out as unknown as Evidence);
  if (o.tried === undefined) return base;
  const tried = r.array(o.tried, `${field}.tried`).map((t, i) => r.string(t, `${field}.tried[${i}]`));
  return { ...base, tried };
};

export const parseDeclared = (r: Reader, value: unknown, field: string): DeclaredModel => {
  const o = r.object(value, field);
  const lc = o.lifecycle === undefined ? undefined : r.object(o.lifecycle, `${field}.lifecycle`);
  const legacyTime = lc ? r.nullableString(lc.legacyTime, `${field}.lifecycle.legacyTime`) : null;
  const endOfLifeTime = lc ? r.nullableString(lc.endOfLifeTime, `${field}.lifecycle.endOfLifeTime`) : null;
  if (o.responseStreamingSupported !== undefined && typeof o.responseStreamingSupported !== 'boolean')
    r.fail(
      `${field}.responseStreamingSupported`,
      `expected true or false, got ${show(o.responseStreamingSupported)}`,
    );
  const types = r.optionalArray(o.inferenceTypesSupported, `${field}.inferenceTypesSupported`, (t, f) =>
    r.string(t, f),
  );
  return {
    ...(lc
      ? {
          lifecycle: {
            status: r.string(lc.status, `${field}.lifecycle.status`),
            ...(legacyTime !== null ? { legacyTime } : {}),
            ...(endOfLifeTime !== null ? { endOfLifeTime } : {}),
          },
        }
      : {}),
    ...(typeof o.responseStreamingSupported === 'boolean'
      ? { responseStreamingSupported: o.responseStreamingSupported }
      : {}),
    ...(types ? { inferenceTypesSupported: types } : {}),
  };
};

/** Region, model and endpoint: where a cell or a change is. */
const parseWhere = (r: Reader, o: Obj, f: string) => ({
  region: r.string(o.region, `${f}.region`),
  model: r.string(o.model, `${f}.model`),
  endpoint: r.word(o.endpoint, `${f}.endpoint`, ENDPOINTS, 'endpoint'),
});

export const parseChangeKind = (r: Reader, value: unknown, field: string): ChangeKind => {
  if (typeof value !== 'string' || !CHANGE_KIND.test(value))
    r.fail(field, `unknown change kind ${show(value)}`);
  return value as ChangeKind;
};

const parseCounts = (r: Reader, value: unknown, field: string): StatusCounts => {
  const o = r.object(value, field);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(o)) {
    r.word(k, `${field}`, STATUSES, 'status');
    out[k] = r.count(v, `${field}.${k}`);
  }
  return out;
};

export const parseSummary = (r: Reader, value: unknown, field: string): Summary => {
  const o = r.object(value, field);
  const byEndpointApiIn = r.object(o.byEndpointApi, `${field}.byEndpointApi`);
  const byEndpointApi: Record<string, Summary['byEndpointApi'][string]> = {};
  for (const [key, v] of Object.entries(byEndpointApiIn)) {
    const f = `${field}.byEndpointApi.${key}`;
    const [endpoint, api, ...rest] = key.split('/');
    r.word(endpoint, f, ENDPOINTS, 'endpoint');
    r.word(api, f, APIS, 'api');
    if (rest.length > 0) r.fail(f, `expected a key "endpoint/api", got ${show(key)}`);
    const e = r.object(v, f);
    const featuresIn = e.features === undefined ? {} : r.object(e.features, `${f}.features`);
    const features: Record<string, StatusCounts> = {};
    for (const [variant, counts] of Object.entries(featuresIn)) {
      r.word(variant, `${f}.features`, FEATURE_VARIANTS, 'feature variant');
      features[variant] = parseCounts(r, counts, `${f}.features.${variant}`);
    }
    byEndpointApi[key] = {
      basic: parseCounts(r, e.basic ?? {}, `${f}.basic`),
      guardrail: parseCounts(r, e.guardrail ?? {}, `${f}.guardrail`),
      features,
    };
  }
  return orderedSummary({
    cells: r.count(o.cells, `${field}.cells`),
    models: r.count(o.models, `${field}.models`),
    probesSent: r.count(o.probesSent, `${field}.probesSent`),
    byStatus: parseCounts(r, o.byStatus ?? {}, `${field}.byStatus`),
    byEndpointApi,
  });
};

/**
 * Reads a report file. `source` names the file in errors
 * (`report.json: cells[3].status: unknown status "maybe"`).
 * A missing `summary` is recomputed from the cells so hand-trimmed files still render.
 */
export const parseReport = (text: string, source: string): Report => {
  const r: Reader = new Reader(source);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return r.fail('(file)', `not valid JSON: ${why}`);
  }
  const o = r.object(raw, '(top level)');
  if (o.schemaVersion !== 1) r.fail('schemaVersion', `expected 1, got ${show(o.schemaVersion)}`);

  const regions = r.array(o.regions, 'regions').map((v, i) => r.string(v, `regions[${i}]`));

  const models: ModelEntry[] = r.array(o.models, 'models').map((v, i) => {
    const f = `models[${i}]`;
    const m = r.object(v, f);
    const ids = m.ids === undefined ? {} : r.object(m.ids, `${f}.ids`);
    const runtime = r.nullableString(ids.runtime, `${f}.ids.runtime`);
    const mantle = r.nullableString(ids.mantle, `${f}.ids.mantle`);
    return {
      key: r.string(m.key, `${f}.key`),
      provider: r.string(m.provider, `${f}.provider`),
      ids: { ...(runtime !== null ? { runtime } : {}), ...(mantle !== null ? { mantle } : {}) },
      sources: (m.sources === undefined ? [] : r.array(m.sources, `${f}.sources`)).map((s, j) =>
        r.word(s, `${f}.sources[${j}]`, CATALOG_SOURCES, 'catalog source'),
      ),
      ...(m.declared === undefined ? {} : { declared: parseDeclared(r, m.declared, `${f}.declared`) }),
    };
  });

  const cells: CellResult[] = r.array(o.cells, 'cells').map((v, i) => {
    const f = `cells[${i}]`;
    const c = r.object(v, f);
    const since = r.nullableString(c.since, `${f}.since`);
    const runId = r.nullableString(c.runId, `${f}.runId`);
    return {
      ...parseWhere(r, c, f),
      api: r.word(c.api, `${f}.api`, APIS, 'api'),
      variant: r.word(c.variant, `${f}.variant`, VARIANTS, 'variant'),
      status: r.word(c.status, `${f}.status`, STATUSES, 'status'),
      evidence: parseEvidence(r, c.evidence, `${f}.evidence`),
      ...(since !== null ? { since } : {}),
      ...(runId !== null ? { runId } : {}),
    };
  });

  const changes: Change[] = r.array(o.changes, 'changes').map((v, i) => {
    const f = `changes[${i}]`;
    const c = r.object(v, f);
    const changeKind = c.kind === undefined ? undefined : parseChangeKind(r, c.kind, `${f}.kind`);
    const at = c.at === undefined ? undefined : r.string(c.at, `${f}.at`);
    const evidence = c.evidence === undefined ? undefined : parseEvidence(r, c.evidence, `${f}.evidence`);
    const notice = c.notice === undefined ? undefined : parseNotice(r, c.notice, `${f}.notice`);
    return {
      ...parseWhere(r, c, f),
      api: r.nullableWord(c.api, `${f}.api`, APIS, 'api'),
      variant: r.nullableWord(c.variant, `${f}.variant`, VARIANTS, 'variant'),
      from: r.nullableWord(c.from, `${f}.from`, STATUSES, 'status'),
      to: r.nullableWord(c.to, `${f}.to`, STATUSES, 'status'),
      ...(changeKind !== undefined ? { kind: changeKind } : {}),
      ...(at !== undefined ? { at } : {}),
      ...(evidence !== undefined ? { evidence } : {}),
      ...(notice !== undefined ? { notice } : {}),
    };
  });

  const partial = o.partial;
  if (typeof partial !== 'boolean') r.fail('partial', `expected true or false, got ${show(partial)}`);

  const summary =
    o.summary === undefined ? summarize(cells, models, 0) : parseSummary(r, o.summary, 'summary');

  const origin =
    o.source === undefined ? undefined : r.word(o.source, 'source', RUN_SOURCES, 'report source');
  const guardrailControls = r.optionalArray(o.guardrailControls, 'guardrailControls', (v, f) => {
    const g = r.object(v, f);
    return {
      region: r.string(g.region, `${f}.region`),
      guardrailId: r.string(g.guardrailId, `${f}.guardrailId`),
      guardrailVersion: r.string(g.guardrailVersion, `${f}.guardrailVersion`),
      status: r.word(g.status, `${f}.status`, STATUSES, 'status'),
      evidence: parseEvidence(r, g.evidence, `${f}.evidence`),
    } satisfies GuardrailControl;
  });

  const problems = r.optionalArray(o.problems, 'problems', (v, f): RunProblem => {
    const p = r.object(v, f);
    return {
      region: r.string(p.region, `${f}.region`),
      scope: r.word(p.scope, `${f}.scope`, PROBLEM_SCOPES, 'problem scope'),
      message: r.string(p.message, `${f}.message`),
    };
  });

  const noticeDays = o.noticeDays === undefined ? undefined : r.count(o.noticeDays, 'noticeDays');
  const toolVersion = o.toolVersion === undefined ? undefined : r.string(o.toolVersion, 'toolVersion');
  const runKind =
    o.runKind === undefined ? undefined : r.word(o.runKind, 'runKind', STORED_RUN_KINDS, 'run kind');

  return {
    schemaVersion: 1,
    runId: r.string(o.runId, 'runId'),
    startedAt: r.string(o.startedAt, 'startedAt'),
    finishedAt: r.string(o.finishedAt, 'finishedAt'),
    partial,
    regions,
    models,
    cells,
    changes,
    summary,
    ...(origin !== undefined ? { source: origin } : {}),
    ...(guardrailControls !== undefined ? { guardrailControls } : {}),
    ...(problems !== undefined ? { problems } : {}),
    ...(noticeDays !== undefined ? { noticeDays } : {}),
    ...(toolVersion !== undefined ? { toolVersion } : {}),
    ...(runKind !== undefined ? { runKind } : {}),
  };
};

export const parseNotice = (r: Reader, value: unknown, field: string): ChangeNotice => {
  const n = r.object(value, field);
  return {
    key: r.string(n.key, `${field}.key`),
    kind: r.word(n.kind, `${field}.kind`, NOTICE_KINDS, 'notice kind'),
    date: r.string(n.date, `${field}.date`),
  };
};
