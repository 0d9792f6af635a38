import { describe, expect, it } from 'vitest';
import {
  collectReprobes,
  confirmChanges,
  diffModels,
  diffReports,
  findCandidates,
  highestSeverity,
  isBaseline,
  removedModelKeys,
  SIGHTING_REFRESH_MS,
  severityOf,
} from '../../../lambda/core/diff';
import {
  type CellKey,
  type CellResult,
  type Change,
  cellId,
  emptyEvidence,
  type ModelEntry,
  type Report,
  type Status,
  type Variant,
} from '../../../lambda/core/model';
import { type ConfirmedCell, type ConfirmedState, emptyConfirmedState } from '../../../lambda/core/ports';

const REGION = 'us-east-1';
const T0 = '2026-11-25T10:00:00.000Z';
const T1 = '2026-11-25T11:00:00.000Z';

const key = (model: string, variant: Variant = 'basic', api: CellKey['api'] = 'chat'): CellKey => ({
  region: REGION,
  model,
  endpoint: 'mantle',
  api,
  variant,
});
const result = (k: CellKey, status: Status, message: string | null = null): CellResult => ({
  ...k,
  status,
  evidence: emptyEvidence({
    httpStatus: status === 'supported' ? 200 : 400,
    message,
    route: '/v1',
    modelId: k.model,
  }),
});
const confirmedCell = (k: CellKey, status: Status): ConfirmedCell => ({
  ...k,
  status,
  route: '/v1',
  modelId: k.model,
  since: T0,
  lastSeen: T0,
  lastRunId: 'run-0',
  evidence: emptyEvidence(),
});
const model = (k: string, ids: ModelEntry['ids']): ModelEntry => ({
  key: k,
  provider: k.split('.')[0] ?? 'x',
  ids,
  sources: ['mantle-models'],
});
const stateOf = (
  cells: ConfirmedCell[],
  models: ModelEntry[] = [model('m.a', { mantle: 'm.a' })],
): ConfirmedState => ({
  cells: new Map(cells.map((c) => [cellId(c), c])),
  models: new Map(models.map((m) => [m.key, m])),
});

describe('findCandidates', () => {
  it('returns cells whose non-transient status differs from the confirmed one', () => {
    // Prepare
    const state = stateOf([
      confirmedCell(key('m.a'), 'supported'),
      confirmedCell(key('m.b'), 'supported'),
      confirmedCell(key('m.c'), 'unsupported'),
    ]);
    const results = [
      result(key('m.a'), 'unsupported'),
      result(key('m.b'), 'supported'),
      result(key('m.c'), 'supported'),
    ];

    // Act
    const candidates = findCandidates(state, results);

    // Assess
    expect(candidates.map((c) => c.model)).toEqual(['m.a', 'm.c']);
  });

  it('never counts throttled, error or skipped as a change', () => {
    // Prepare
    const state = stateOf([confirmedCell(key('m.a'), 'supported')]);
    const results: CellResult[] = (['throttled', 'error', 'skipped'] as const).map((s) =>
      result(key('m.a'), s),
    );

    // Act
    const candidates = findCandidates(state, results);

    // Assess
    expect(candidates).toEqual([]);
  });

  it('treats a cell with no confirmed state as new, not changed', () => {
    // Prepare
    const state = stateOf([confirmedCell(key('m.a'), 'supported')]);

    // Act
    const candidates = findCandidates(state, [result(key('m.new'), 'supported')]);

    // Assess
    expect(candidates).toEqual([]);
  });
});

describe('collectReprobes', () => {
  it('re-probes confirmCount times and stops at the first answer that does not repeat', async () => {
    // Prepare
    const holds = result(key('m.a'), 'unsupported');
    const flaps = result(key('m.b'), 'unsupported');
    const answers: Record<string, Status[]> = {
      'm.a': ['unsupported', 'unsupported'],
      'm.b': ['supported', 'x' as Status],
    };
    const calls: string[] = [];
    const reprobe = async (k: CellKey) => {
      calls.push(k.model);
      return result(k, answers[k.model]!.shift()!);
    };

    // Act
    const seen = await collectReprobes([holds, flaps], reprobe, 2);

    // Assess
    // Candidates are re-probed side by side, so only the count per cell is fixed, not the order.
    expect([...calls].sort()).toEqual(['m.a', 'm.a', 'm.b']);
    expect(seen.get(cellId(holds))!.map((r) => r.status)).toEqual(['unsupported', 'unsupported']);
    expect(seen.get(cellId(flaps))!.map((r) => r.status)).toEqual(['supported']);
  });

  it('rejects a negative confirm count naming the value', async () => {
    // Act / Assess
    await expect(collectReprobes([], async (k) => result(k, 'supported'), -1)).rejects.toThrow(
      'confirmCount must be a non-negative integer, got -1',
    );
  });
});

describe('confirmChanges', () => {
  it('reports a change that held on every re-probe, with evidence from the re-probe', () => {
    // Prepare
    const k = key('m.a');
    const state = stateOf([confirmedCell(k, 'supported')]);
    const reprobes = new Map([
      [cellId(k), [result(k, 'unsupported', 'first'), result(k, 'unsupported', 'does not support chat')]],
    ]);

    // Act
    const out = confirmChanges({
      runId: 'run-1',
      startedAt: T1,
      confirmed: state,
      results: [result(k, 'unsupported', 'probe')],
      reprobes,
    });

    // Assess
    expect(out.changes).toEqual([
      {
        region: REGION,
        model: 'm.a',
        endpoint: 'mantle',
        api: 'chat',
        variant: 'basic',
        from: 'supported',
        to: 'unsupported',
        kind: 'cell',
        at: T1,
        evidence: expect.objectContaining({ message: 'does not support chat' }),
      },
    ]);
    expect(out.confirmed).toEqual([
      expect.objectContaining({
        model: 'm.a',
        status: 'unsupported',
        since: T1,
        lastSeen: T1,
        lastRunId: 'run-1',
      }),
    ]);
  });

  it('does not report a flapping cell that recovers on re-probe, and keeps its confirmed state', () => {
    // Prepare
    const k = key('m.a');
    const state = stateOf([confirmedCell(k, 'supported')]);
    const reprobes = new Map([[cellId(k), [result(k, 'supported')]]]);

    // Act
    const out = confirmChanges({
      runId: 'run-1',
      startedAt: T1,
      confirmed: state,
      results: [result(k, 'unsupported')],
      reprobes,
    });

    // Assess
    expect(out.changes).toEqual([]);
    expect(out.confirmed).toEqual([]);
  });

  it('does not believe a change with fewer re-probes than the confirm count', () => {
    // Prepare
    const k = key('m.a');
    const state = stateOf([confirmedCell(k, 'supported')]);

    // Act
    const out = confirmChanges({
      runId: 'run-1',
      startedAt: T1,
      confirmed: state,
      results: [result(k, 'unsupported')],
      reprobes: new Map([[cellId(k), [result(k, 'unsupported')]]]),
      confirmCount: 3,
    });

    // Assess
    expect(out.changes).toEqual([]);
  });

  it('writes nothing for an unchanged cell seen within the day, and skips transient results', () => {
    // Prepare
    const same = key('m.a');
    const flaky = key('m.b');
    const state = stateOf([confirmedCell(same, 'supported'), confirmedCell(flaky, 'supported')]);

    // Act
    const out = confirmChanges({
      runId: 'run-1',
      startedAt: T1,
      confirmed: state,
      results: [result(same, 'supported'), result(flaky, 'throttled')],
      reprobes: new Map(),
    });

    // Assess: what is stored already says all there is to say
    expect(out.changes).toEqual([]);
    expect(out.confirmed).toEqual([]);
  });

  it('moves lastSeen of an unchanged cell once its last sighting is a day old, keeping its since', () => {
    // Prepare
    const same = key('m.a');
    const state = stateOf([confirmedCell(same, 'supported')]);
    const dayLater = new Date(Date.parse(T0) + SIGHTING_REFRESH_MS).toISOString();

    // Act
    const out = confirmChanges({
      runId: 'run-24',
      startedAt: dayLater,
      confirmed: state,
      results: [result(same, 'supported')],
      reprobes: new Map(),
    });

    // Assess
    expect(out.changes).toEqual([]);
    expect(out.confirmed).toEqual([
      expect.objectContaining({ model: 'm.a', since: T0, lastSeen: dayLater, lastRunId: 'run-24' }),
    ]);
  });

  it('writes a cell whose status held but whose route or model ID moved, so readers get the new path', () => {
    // Prepare
    const rerouted = key('m.a');
    const renamed = key('m.b');
    const state = stateOf([confirmedCell(rerouted, 'supported'), confirmedCell(renamed, 'supported')]);
    const viaOpenAiRoute = result(rerouted, 'supported');
    const newId = result(renamed, 'supported');

    // Act
    const out = confirmChanges({
      runId: 'run-1',
      startedAt: T1,
      confirmed: state,
      results: [
        { ...viaOpenAiRoute, evidence: { ...viaOpenAiRoute.evidence, route: '/openai/v1' } },
        { ...newId, evidence: { ...newId.evidence, modelId: 'm.b-v2' } },
      ],
      reprobes: new Map(),
    });

    // Assess
    expect(out.changes).toEqual([]);
    expect(out.confirmed.map((c) => [c.model, c.route, c.modelId, c.since, c.lastSeen])).toEqual([
      ['m.a', '/openai/v1', 'm.a', T0, T1],
      ['m.b', '/v1', 'm.b-v2', T0, T1],
    ]);
  });

  it('stores everything and reports nothing on the first run of a region (baseline)', () => {
    // Prepare
    const state = emptyConfirmedState();
    const results = [result(key('m.a'), 'supported'), result(key('m.b'), 'not-found')];

    // Act
    const out = confirmChanges({
      runId: 'run-0',
      startedAt: T0,
      confirmed: state,
      results,
      reprobes: new Map(),
    });

    // Assess
    expect(isBaseline(state)).toBe(true);
    expect(out.changes).toEqual([]);
    expect(out.confirmed.map((c) => [c.model, c.status, c.since])).toEqual([
      ['m.a', 'supported', T0],
      ['m.b', 'not-found', T0],
    ]);
  });
});

describe('diffModels', () => {
  it('reports added and removed models per endpoint, including a vanished mantle id', () => {
    // Prepare
    const previous = new Map([
      [
        'openai.gpt-oss-120b',
        model('openai.gpt-oss-120b', { mantle: 'openai.gpt-oss-120b', runtime: 'openai.gpt-oss-120b-1:0' }),
      ],
      ['meta.old', model('meta.old', { runtime: 'meta.old-v1:0' })],
    ]);
    const current = [
      model('openai.gpt-oss-120b', { runtime: 'openai.gpt-oss-120b-1:0' }),
      model('qwen.new', { mantle: 'qwen.new' }),
    ];

    // Act
    const changes = diffModels(previous, current, REGION, T1);

    // Assess
    expect(changes.map((c) => [c.kind, c.model, c.endpoint, c.evidence?.modelId])).toEqual([
      ['model-removed', 'meta.old', 'runtime', 'meta.old-v1:0'],
      ['model-removed', 'openai.gpt-oss-120b', 'mantle', 'openai.gpt-oss-120b'],
      ['model-added', 'qwen.new', 'mantle', 'qwen.new'],
    ]);
    expect(changes.every((c) => c.api === null && c.variant === null && c.at === T1)).toBe(true);
    expect(removedModelKeys(previous, current)).toEqual(['meta.old']);
  });

  it('reports nothing against an empty previous list (baseline)', () => {
    // Act
    const changes = diffModels(new Map(), [model('m.a', { mantle: 'm.a' })], REGION);

    // Assess
    expect(changes).toEqual([]);
  });
});

describe('diffReports', () => {
  const report = (runId: string, startedAt: string, cells: CellResult[], models: ModelEntry[]): Report => ({
    schemaVersion: 1,
    runId,
    startedAt,
    finishedAt: startedAt,
    partial: false,
    regions: [REGION],
    models,
    cells,
    changes: [],
    summary: { cells: cells.length, models: models.length, probesSent: 0, byStatus: {}, byEndpointApi: {} },
  });

  it('lists non-transient cell differences and models added or removed', () => {
    // Prepare
    const a = report(
      'a',
      T0,
      [result(key('m.a'), 'supported'), result(key('m.b'), 'supported'), result(key('m.c'), 'unsupported')],
      [model('m.a', { mantle: 'm.a' }), model('m.b', { mantle: 'm.b' }), model('m.c', { mantle: 'm.c' })],
    );
    const b = report(
      'b',
      T1,
      [result(key('m.a'), 'unsupported'), result(key('m.b'), 'error'), result(key('m.c'), 'unsupported')],
      [
        model('m.a', { mantle: 'm.a' }),
        model('m.b', { mantle: 'm.b' }),
        model('m.c', { mantle: 'm.c' }),
        model('m.d', { mantle: 'm.d' }),
      ],
    );

    // Act
    const changes = diffReports(a, b);

    // Assess
    expect(changes.map((c) => [c.kind, c.model, c.from, c.to])).toEqual([
      ['cell', 'm.a', 'supported', 'unsupported'],
      ['model-added', 'm.d', null, null],
    ]);
  });
});

describe('severityOf', () => {
  const change = (over: Partial<Change>): Change => ({
    region: REGION,
    model: 'm.a',
    endpoint: 'mantle',
    api: 'chat',
    variant: 'basic',
    from: 'unsupported',
    to: 'supported',
    ...over,
  });

  it('rates a guardrail that stopped being enforced high, a lost capability or model medium, else low', () => {
    // Prepare
    const cases: [Change, string][] = [
      [change({ variant: 'guardrail', from: 'enforced', to: 'ignored' }), 'high'],
      [change({ variant: 'guardrail', from: 'enforced', to: 'not-found' }), 'high'],
      [change({ variant: 'guardrail', from: 'ignored', to: 'enforced' }), 'low'],
      [change({ from: 'supported', to: 'unsupported' }), 'medium'],
      [change({ kind: 'model-removed', api: null, variant: null, from: null, to: null }), 'medium'],
      [change({ kind: 'model-added', api: null, variant: null, from: null, to: null }), 'low'],
      [change({}), 'low'],
    ];

    // Act
    const rated = cases.map(([c]) => severityOf(c));

    // Assess
    expect(rated).toEqual(cases.map(([, s]) => s));
    expect(highestSeverity(cases.map(([c]) => c))).toBe('high');
    expect(highestSeverity([])).toBe('low');
  });
});
