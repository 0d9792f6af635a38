import { describe, expect, it } from 'vitest';
import { type CellResult, type ModelEntry, STATUSES } from '../../../lambda/core/model';
import { endpointApiTotals, orderedSummary, summarize, totalDetails } from '../../../lambda/core/summary';
import { mantleChatCell } from '../../support/cells';
import { basicCell, buildSampleReport } from '../../support/sample-report';

const cell = (over: Partial<CellResult>): CellResult =>
  mantleChatCell({ model: 'openai.gpt-oss-120b', ...over });

const model = (key: string, ids: ModelEntry['ids']): ModelEntry => ({
  key,
  provider: key.split('.')[0] ?? key,
  ids,
  sources: ['mantle-models'],
});

describe('summarize', () => {
  it('counts statuses overall and per endpoint/api, keeping basic, guardrail and features apart', () => {
    // Prepare
    const cells = [
      cell({}),
      cell({ variant: 'stream' }),
      cell({ variant: 'tools', status: 'unsupported' }),
      cell({ variant: 'guardrail', status: 'ignored' }),
      cell({ model: 'qwen.qwen3-32b', status: 'unsupported' }),
      cell({ endpoint: 'runtime', api: 'converse', variant: 'guardrail', status: 'enforced' }),
      cell({ endpoint: 'runtime', api: 'converse', status: 'throttled' }),
    ];

    // Act
    const summary = summarize(cells, [model('openai.gpt-oss-120b', { mantle: 'openai.gpt-oss-120b' })], 9);

    // Assess
    expect(summary).toEqual({
      cells: 7,
      models: 1,
      probesSent: 9,
      byStatus: { supported: 2, unsupported: 2, enforced: 1, ignored: 1, throttled: 1 },
      byEndpointApi: {
        'runtime/converse': { basic: { throttled: 1 }, guardrail: { enforced: 1 }, features: {} },
        'mantle/chat': {
          basic: { supported: 1, unsupported: 1 },
          guardrail: { ignored: 1 },
          features: { stream: { supported: 1 }, tools: { unsupported: 1 } },
        },
      },
    });
  });

  it('orders keys the same way whatever order the cells came in, so the JSON is stable', () => {
    // Prepare
    const cells = [
      cell({ status: 'skipped' }),
      cell({ endpoint: 'mantle', api: 'messages', status: 'error' }),
      cell({ endpoint: 'runtime', api: 'invoke', status: 'supported' }),
      cell({ status: 'no-access' }),
      cell({ variant: 'background', status: 'supported' }),
      cell({ variant: 'stream', status: 'supported' }),
    ];

    // Act
    const forward = summarize(cells, [], 0);
    const backward = summarize([...cells].reverse(), [], 0);

    // Assess
    expect(JSON.stringify(backward)).toBe(JSON.stringify(forward));
    expect(Object.keys(forward.byStatus)).toEqual(STATUSES.filter((s) => s in forward.byStatus));
    expect(Object.keys(forward.byEndpointApi)).toEqual(['runtime/invoke', 'mantle/chat', 'mantle/messages']);
    expect(Object.keys(forward.byEndpointApi['mantle/chat']?.features ?? {})).toEqual([
      'stream',
      'background',
    ]);
  });

  it('is what the sample report carries, and the mantle chat column of us-east-1 reads 38 supported', () => {
    // Prepare
    const report = buildSampleReport();
    const east = report.cells.filter((c) => c.region === 'us-east-1');

    // Act
    const summary = summarize(east, report.models, 0);

    // Assess
    expect(summary.byEndpointApi['mantle/chat']?.basic).toEqual({
      supported: 38,
      unsupported: 1,
      'not-found': 3,
      'no-access': 1,
    });
    expect(summary.byEndpointApi['mantle/chat']?.guardrail).toEqual({ ignored: 38 });
    expect(orderedSummary(report.summary)).toEqual(report.summary);
  });
});

describe('endpointApiTotals', () => {
  it('counts only models with an ID on the endpoint against it: 38/40 on mantle chat', () => {
    // Prepare
    const report = buildSampleReport();

    // Act
    const totals = endpointApiTotals(report.cells, report.models, 'us-east-1');

    // Assess
    const chat = totals.find((t) => t.endpoint === 'mantle' && t.api === 'chat');
    expect(chat).toMatchObject({ supported: 38, listed: 40, unlisted: 3 });
    expect(chat && totalDetails(chat)).toEqual(['1 unsupported', '1 no-access', '3 without a mantle ID']);
    expect(totals.map((t) => `${t.endpoint}/${t.api}`)).toEqual([
      'runtime/converse',
      'runtime/invoke',
      'runtime/chat',
      'runtime/responses',
      'runtime/messages',
      'mantle/chat',
      'mantle/responses',
      'mantle/messages',
    ]);
  });

  it('counts a model absent from the catalog list, and a success even without a catalog ID', () => {
    // Prepare
    const models = [model('a.known', { runtime: 'a.known-v1:0' })];
    const cells = [
      basicCell('us-east-1', 'a.known', 'mantle', 'chat', 'supported'),
      basicCell('us-east-1', 'b.uncatalogued', 'mantle', 'chat', 'unsupported'),
      basicCell('us-west-2', 'a.known', 'mantle', 'chat', 'not-found'),
    ];

    // Act
    const east = endpointApiTotals(cells, models, 'us-east-1');
    const west = endpointApiTotals(cells, models, 'us-west-2');

    // Assess
    expect(east).toEqual([
      {
        endpoint: 'mantle',
        api: 'chat',
        supported: 1,
        listed: 2,
        basic: { supported: 1, unsupported: 1 },
        unlisted: 0,
        guardrail: {},
      },
    ]);
    expect(west[0]).toMatchObject({ supported: 0, listed: 0, unlisted: 1 });
  });
});
