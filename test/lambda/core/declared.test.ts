import { describe, expect, it } from 'vitest';
import { END_OF_LIFE_REASON } from '../../../lambda/core/classify';
import { declaredDisagreements } from '../../../lambda/core/declared';
import {
  type CellResult,
  type DeclaredModel,
  emptyEvidence,
  type Report,
  type Status,
  type Variant,
} from '../../../lambda/core/model';
import { renderHtml } from '../../../lambda/core/render/html';
import { renderJson } from '../../../lambda/core/render/json';
import { renderMarkdown } from '../../../lambda/core/render/markdown';
import { renderTable } from '../../../lambda/core/render/table';
import { parseReport } from '../../../lambda/core/report-file';
import { summarize } from '../../../lambda/core/summary';

// What ListFoundationModels declares against what the probe measured on the runtime host: every
// disagreement is shown, none is called from a cell that measured nothing.

const KEY = 'acme.model-x';
const BASE_ID = 'acme.model-x-v1:0';

const cell = (
  api: 'converse' | 'invoke',
  variant: Variant,
  status: Status,
  evidence: Partial<CellResult['evidence']> = {},
  endpoint: 'runtime' | 'mantle' = 'runtime',
): CellResult => ({
  region: 'us-east-1',
  model: KEY,
  endpoint,
  api,
  variant,
  status,
  evidence: emptyEvidence({ modelId: BASE_ID, ...evidence }),
});

const report = (declared: DeclaredModel, cells: readonly CellResult[], runtimeId = BASE_ID): Report => {
  const models = [
    {
      key: KEY,
      provider: 'acme',
      ids: { runtime: runtimeId },
      sources: ['foundation-models' as const],
      declared,
    },
  ];
  return {
    schemaVersion: 1,
    runId: 'run-declared',
    startedAt: '2026-12-01T00:00:00.000Z',
    finishedAt: '2026-12-01T00:05:00.000Z',
    partial: false,
    regions: ['us-east-1'],
    models,
    cells,
    changes: [],
    summary: summarize(cells, models, cells.length),
    source: 'aws',
  };
};

describe('declaredDisagreements', () => {
  it('calls out a model declared without streaming whose ConverseStream streamed', () => {
    // Prepare
    const r = report({ responseStreamingSupported: false }, [
      cell('converse', 'basic', 'supported'),
      cell('converse', 'stream', 'supported'),
    ]);

    // Act
    const found = declaredDisagreements(r);

    // Assess
    expect(found).toEqual([
      {
        key: `us-east-1|${KEY}|streaming`,
        region: 'us-east-1',
        model: KEY,
        topic: 'streaming',
        declared: 'responseStreamingSupported: false',
        measured: 'runtime/converse stream supported',
        cells: [`us-east-1|${KEY}|runtime|converse|stream`],
        message: `${KEY} in us-east-1: declared responseStreamingSupported: false, measured runtime/converse stream supported`,
      },
    ]);
  });

  it('calls out a model declared with streaming whose every native stream cell refused it', () => {
    // Prepare
    const refused = report({ responseStreamingSupported: true }, [
      cell('converse', 'stream', 'unsupported'),
      cell('invoke', 'stream', 'error'),
    ]);
    const onceWorked = report({ responseStreamingSupported: true }, [
      cell('converse', 'stream', 'unsupported'),
      cell('invoke', 'stream', 'supported'),
    ]);

    // Act
    const found = declaredDisagreements(refused);

    // Assess
    expect(found.map((d) => [d.topic, d.measured])).toEqual([
      ['streaming', 'runtime/converse stream unsupported'],
    ]);
    expect(declaredDisagreements(onceWorked)).toEqual([]);
  });

  it.each<Status>(['error', 'throttled', 'skipped'])(
    'never calls a disagreement from a %s cell: it measured nothing',
    (status) => {
      // Prepare
      const r = report(
        {
          responseStreamingSupported: true,
          inferenceTypesSupported: ['INFERENCE_PROFILE'],
          lifecycle: { status: 'ACTIVE' },
        },
        [
          cell('converse', 'basic', status, { reason: `${END_OF_LIFE_REASON}: model version retired` }),
          cell('converse', 'stream', status),
        ],
      );

      // Act / Assess
      expect(declaredDisagreements(r)).toEqual([]);
    },
  );

  it('ignores mantle cells: ListFoundationModels describes the runtime host', () => {
    // Prepare
    const r = report({ responseStreamingSupported: false }, [
      cell('converse', 'stream', 'supported', {}, 'mantle'),
    ]);

    // Act / Assess
    expect(declaredDisagreements(r)).toEqual([]);
  });

  it('calls out a model declared ON_DEMAND that answered only through a profile after its base ID was refused', () => {
    // Prepare
    const tried = [`${BASE_ID}: HTTP 400 on-demand throughput isn't supported`, `us.${BASE_ID}: HTTP 200`];
    const profileOnly = report({ inferenceTypesSupported: ['ON_DEMAND'] }, [
      cell('converse', 'basic', 'supported', { modelId: `us.${BASE_ID}`, tried }),
    ]);
    // A profile that answered without the base ID being tried proves nothing about the base ID.
    const untried = report({ inferenceTypesSupported: ['ON_DEMAND'] }, [
      cell('converse', 'basic', 'supported', {
        modelId: `us.${BASE_ID}`,
        tried: [`us.${BASE_ID}: HTTP 200`],
      }),
    ]);

    // Act
    const found = declaredDisagreements(profileOnly);

    // Assess
    expect(found.map((d) => [d.topic, d.declared, d.measured])).toEqual([
      ['inference-type', 'inferenceTypesSupported: ON_DEMAND', 'runtime/converse supported'],
    ]);
    expect(declaredDisagreements(untried)).toEqual([]);
  });

  it('calls out a model declared profile-only whose base ID answered', () => {
    // Prepare
    const r = report({ inferenceTypesSupported: ['INFERENCE_PROFILE'] }, [
      cell('invoke', 'basic', 'supported'),
    ]);

    // Act / Assess
    expect(declaredDisagreements(r).map((d) => d.declared)).toEqual([
      'inferenceTypesSupported: INFERENCE_PROFILE',
    ]);
  });

  it('calls out a model past its declared end of life that still answers, not a LEGACY one before it', () => {
    // Prepare
    const answering = [cell('converse', 'basic', 'supported')];
    const pastEol = report(
      { lifecycle: { status: 'LEGACY', endOfLifeTime: '2026-11-30T00:00:00.000Z' } },
      answering,
    );
    const legacy = report(
      { lifecycle: { status: 'LEGACY', endOfLifeTime: '2027-03-01T00:00:00.000Z' } },
      answering,
    );

    // Act
    const found = declaredDisagreements(pastEol);

    // Assess
    expect(found.map((d) => [d.topic, d.declared])).toEqual([
      ['lifecycle', 'end of life on 2026-11-30 (status LEGACY)'],
    ]);
    expect(declaredDisagreements(legacy)).toEqual([]);
  });

  it('calls out a model declared ACTIVE that the runtime refused as end of life', () => {
    // Prepare
    const eol = { reason: `${END_OF_LIFE_REASON}: model version retired`, httpStatus: 404 };
    const r = report({ lifecycle: { status: 'ACTIVE' } }, [cell('converse', 'basic', 'not-found', eol)]);
    const plainNotFound = report({ lifecycle: { status: 'ACTIVE' } }, [
      cell('converse', 'basic', 'not-found'),
    ]);

    // Act
    const found = declaredDisagreements(r);

    // Assess
    expect(found.map((d) => [d.declared, d.measured])).toEqual([
      ['status ACTIVE', 'runtime/converse not-found (end of life)'],
    ]);
    expect(declaredDisagreements(plainNotFound)).toEqual([]);
  });
});

describe('declared vs measured in every format and as a metric', () => {
  const r = report({ responseStreamingSupported: false }, [
    cell('converse', 'basic', 'supported'),
    cell('converse', 'stream', 'supported'),
  ]);

  it('is a section of the table, Markdown and HTML reports', () => {
    // Act
    const table = renderTable(r, { color: false });
    const markdown = renderMarkdown(r);
    const html = renderHtml(r);

    // Assess
    expect(table).toContain('Declared vs measured (1)');
    expect(table).toContain(`${KEY} in us-east-1: declared responseStreamingSupported: false`);
    expect(markdown).toContain('### Declared vs measured (1)');
    expect(markdown).toContain(
      `| us-east-1 | ${KEY} | responseStreamingSupported: false | runtime/converse stream supported |`,
    );
    expect(html).toContain('<section id="declared"><h3>Declared vs measured (1)</h3>');
    expect(html).toContain('<td>runtime/converse stream supported</td>');
  });

  it('is an optional JSON field that a report file read back recomputes, never a change', () => {
    // Act
    const doc = JSON.parse(renderJson(r));
    const back = parseReport(renderJson(r), 'report.json');

    // Assess
    expect(doc.declaredDisagreements).toHaveLength(1);
    expect(doc.declaredDisagreements[0].topic).toBe('streaming');
    expect(doc.changes).toEqual([]);
    expect(declaredDisagreements(back)).toEqual(doc.declaredDisagreements);
    // A report without disagreements has no such field at all.
    expect(JSON.parse(renderJson(report({}, r.cells)))).not.toHaveProperty('declaredDisagreements');
  });
});
