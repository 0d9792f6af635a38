import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../../lambda/core/model';
import { regionView } from '../../../lambda/core/region-view';
import { renderRegionView } from '../../../lambda/core/render/regions';
import { buildSampleReport } from '../../support/sample-report';

// Across regions: where a model has rolled out and where not yet, per endpoint/api, with the first
// time each square was seen supported.

const EARLY = '2026-04-20T08:00:00.000Z';

/** The sample (us-east-1 and us-west-2), with gpt-oss-120b's west mantle/chat cell confirmed since EARLY. */
const sample = (): Report => {
  const r = buildSampleReport();
  return {
    ...r,
    cells: r.cells.map((c) =>
      c.region === 'us-west-2' &&
      c.model === 'openai.gpt-oss-120b' &&
      c.endpoint === 'mantle' &&
      c.api === 'chat'
        ? { ...c, since: EARLY }
        : c,
    ),
  };
};

const row = (r: Report, block: string, model: string) => {
  const b = regionView(r).blocks.find((x) => `${x.endpoint}/${x.api}` === block);
  return b?.rows.find((x) => x.model === model);
};

describe('regionView', () => {
  it('puts the regions across and marks a region where the model was not probed as empty', () => {
    // Act
    const view = regionView(sample());

    // Assess
    expect(view.regions).toEqual(['us-east-1', 'us-west-2']);
    expect(view.blocks.map((b) => `${b.endpoint}/${b.api}`)).toContain('mantle/chat');
    // Only five models were probed in us-west-2: the others have rolled out in one region of two.
    expect(row(sample(), 'mantle/chat', 'qwen.qwen3-coder-30b-a3b')).toEqual({
      model: 'qwen.qwen3-coder-30b-a3b',
      // Chat opened for it in this run: the confirmed change says when.
      squares: [
        { status: 'supported', firstSupported: '2026-05-02T09:04:12.000Z' },
        { status: null, firstSupported: null },
      ],
      supportedIn: 1,
    });
  });

  it('dates a square from its confirmed since, and says nothing of a date it does not know', () => {
    // Act
    const gpt = row(sample(), 'mantle/chat', 'openai.gpt-oss-120b');

    // Assess
    expect(gpt?.squares).toEqual([
      { status: 'supported', firstSupported: null },
      { status: 'supported', firstSupported: EARLY },
    ]);
    expect(gpt?.supportedIn).toBe(2);
  });

  it('takes the earliest confirmed change to supported when the cell came back later', () => {
    // Prepare: supported since May, but the history says it first opened in March.
    const r = sample();
    const back: Report = {
      ...r,
      cells: r.cells.map((c) =>
        c.region === 'us-east-1' &&
        c.model === 'openai.gpt-oss-120b' &&
        c.endpoint === 'mantle' &&
        c.api === 'chat' &&
        c.variant === 'basic'
          ? { ...c, since: '2026-05-01T09:00:00.000Z' }
          : c,
      ),
      changes: [
        ...r.changes,
        {
          region: 'us-east-1',
          model: 'openai.gpt-oss-120b',
          endpoint: 'mantle',
          api: 'chat',
          variant: 'basic',
          from: 'not-found',
          to: 'supported',
          kind: 'cell',
          at: '2026-03-03T09:00:00.000Z',
        },
      ],
    };

    // Act
    const gpt = row(back, 'mantle/chat', 'openai.gpt-oss-120b');

    // Assess
    expect(gpt?.squares[0]).toEqual({ status: 'supported', firstSupported: '2026-03-03T09:00:00.000Z' });
  });

  it('shows a square that stopped working by its status, not as rolled out', () => {
    // Act
    const responses = row(sample(), 'mantle/responses', 'openai.gpt-oss-20b');

    // Assess
    expect(responses?.squares.map((s) => s.status)).toEqual(['supported', 'unsupported']);
    expect(responses?.supportedIn).toBe(1);
  });
});

describe('renderRegionView', () => {
  it('table: one block per endpoint/api, a column per region, the first day seen supported', () => {
    // Act
    const text = renderRegionView(sample(), 'table');

    // Assess
    expect(text).toContain('Across regions: us-east-1, us-west-2');
    expect(text).toMatch(/\nmantle\/chat\nmodel +│ us-east-1 +│ us-west-2 +│ regions\n/);
    expect(text).toMatch(/openai\.gpt-oss-120b +│ ✓ +│ ✓ 2026-04-20 │ 2\/2/);
    expect(text).toMatch(/qwen\.qwen3-coder-30b-a3b +│ ✓ 2026-05-02 │ +│ 1\/2/);
    expect(text).toContain('SIMULATED RESULTS');
  });

  it('markdown: a pasteable table per endpoint/api', () => {
    // Act
    const md = renderRegionView(sample(), 'markdown');

    // Assess
    expect(md).toContain(
      '## mantle/chat\n\n| Model | us-east-1 | us-west-2 | Regions |\n| --- | --- | --- | --- |',
    );
    expect(md).toContain('| openai.gpt-oss-120b | ✓ | ✓ 2026-04-20 | 2/2 |');
  });

  it('html: a self-contained page, every text escaped', () => {
    // Prepare
    const base = sample();
    const hostile = {
      ...base,
      cells: [...base.cells, { ...base.cells[0]!, model: '<script>alert(1)</script>' }],
    };

    // Act
    const html = renderRegionView(hostile, 'html');

    // Assess
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(
      `<td class="st-supported" title="first seen supported ${EARLY}">✓ 2026-04-20</td>`,
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('json: the view as data, versioned, valid against schema/regions-v1.json', () => {
    // Prepare
    const schema = JSON.parse(
      readFileSync(new URL('../../../schema/regions-v1.json', import.meta.url), 'utf8'),
    );
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);

    // Act
    const doc = JSON.parse(renderRegionView(sample(), 'json'));

    // Assess
    expect(validate(doc), ajv.errorsText(validate.errors)).toBe(true);
    expect(doc).toMatchObject({
      kind: 'bedrock-matrix/regions',
      version: 1,
      regions: ['us-east-1', 'us-west-2'],
    });
    const chat = doc.blocks.find(
      (b: { endpoint: string; api: string }) => b.endpoint === 'mantle' && b.api === 'chat',
    );
    expect(chat.rows.find((r: { model: string }) => r.model === 'openai.gpt-oss-120b').squares[1]).toEqual({
      status: 'supported',
      firstSupported: EARLY,
    });
  });
});
