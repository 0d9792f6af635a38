import { readFile } from 'node:fs/promises';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  DETAIL_TYPES,
  entryBytes,
  MAX_REQUEST_BYTES,
  putChangeEvents,
} from '../../../lambda/adapters/eventbridge-events';
import { type Change, emptyEvidence } from '../../../lambda/core/model';
import { accessLost } from '../../support/changes';
import { BEARER_PREFIX } from '../../support/planted-secrets';

const events = mockClient(EventBridgeClient);
const AT = '2026-12-01T18:04:30.000Z';

const cell = (model: string, over: Partial<Change> = {}): Change => accessLost({ model, at: AT, ...over });

describe('putChangeEvents', () => {
  beforeEach(() => {
    events.reset();
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
  });

  it('puts each change on the default bus with source bedrock-matrix and a detail-type per kind', async () => {
    // Prepare
    const changes = [
      cell('openai.gpt-oss-120b'),
      cell('openai.gpt-oss-20b', { variant: 'guardrail', from: 'enforced', to: 'ignored' }),
      cell('xai.grok-4.3', { kind: 'model-removed', api: null, variant: null, from: null, to: null }),
    ];

    // Act
    const n = await putChangeEvents(new EventBridgeClient({ region: 'us-east-1' }), changes, { runId: 'r1' });

    // Assess
    expect(n).toBe(3);
    const calls = events.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(1);
    const entries = calls[0]?.args[0].input.Entries ?? [];
    expect(entries.map((e) => [e.Source, e.DetailType, e.EventBusName])).toEqual([
      ['bedrock-matrix', DETAIL_TYPES.cell, 'default'],
      ['bedrock-matrix', DETAIL_TYPES.guardrail, 'default'],
      ['bedrock-matrix', DETAIL_TYPES['model-removed'], 'default'],
    ]);
    expect(entries[0]?.Time).toEqual(new Date(AT));
    expect(JSON.parse(entries[0]?.Detail ?? '')).toEqual({
      region: 'us-east-1',
      model: 'openai.gpt-oss-120b',
      endpoint: 'mantle',
      api: 'chat',
      variant: 'basic',
      from: 'supported',
      to: 'no-access',
      kind: 'cell',
      at: AT,
      runId: 'r1',
      evidence: {
        httpStatus: 403,
        errorCode: null,
        message: 'access denied',
        route: '/v1',
        modelId: 'openai.gpt-oss-120b',
        requestId: null,
      },
    });
  });

  it('puts a retirement notice under its own detail-type, with the notice in the detail', async () => {
    // Prepare
    const notice = {
      key: 'anthropic.claude-3-haiku|end-of-life|2026-12-21',
      kind: 'end-of-life',
      date: '2026-12-21T00:00:00.000Z',
    } as const;
    const change = cell('anthropic.claude-3-haiku', {
      endpoint: 'runtime',
      kind: 'retirement-notice',
      api: null,
      variant: null,
      from: null,
      to: null,
      evidence: emptyEvidence({ reason: 'anthropic.claude-3-haiku reaches end of life on 2026-12-21' }),
      notice,
    });

    // Act
    await putChangeEvents(new EventBridgeClient({ region: 'us-east-1' }), [change], { runId: 'r1' });

    // Assess
    const [entry] = events.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries ?? [];
    expect(entry?.DetailType).toBe('Bedrock Matrix Retirement Notice');
    expect(JSON.parse(entry?.Detail ?? '')).toMatchObject({ kind: 'retirement-notice', notice });
  });

  it('sends at most 10 entries per PutEvents call', async () => {
    // Prepare
    const changes = Array.from({ length: 23 }, (_, i) => cell(`model-${i}`));

    // Act
    await putChangeEvents(new EventBridgeClient({ region: 'us-east-1' }), changes, {
      runId: 'r1',
      eventBusName: 'ops',
    });

    // Assess
    const sizes = events.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries?.length);
    expect(sizes).toEqual([10, 10, 3]);
    expect(events.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]?.EventBusName).toBe('ops');
  });

  it('retries only the failed entries once, then fails naming the error', async () => {
    // Prepare
    events.reset();
    events
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: [{ EventId: 'e1' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }],
      })
      .resolves({
        FailedEntryCount: 1,
        Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }],
      });

    // Act
    const act = putChangeEvents(new EventBridgeClient({ region: 'us-east-1' }), [cell('a'), cell('b')], {
      runId: 'r1',
    });

    // Assess
    await expect(act).rejects.toThrow('PutEvents: 1 of 1 events failed (ThrottlingException: slow down)');
    const calls = events.commandCalls(PutEventsCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.map((e) => JSON.parse(e.Detail ?? '').model))).toEqual([
      ['a', 'b'],
      ['b'],
    ]);
  });

  it('never puts a secret that slipped into evidence', async () => {
    // Prepare
    const secret = `${BEARER_PREFIX}QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo`;

    // Act
    await putChangeEvents(
      new EventBridgeClient({ region: 'us-east-1' }),
      [cell('a', { evidence: emptyEvidence({ message: `denied for ${secret}` }) })],
      { runId: 'r1' },
    );

    // Assess
    const detail = events.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]?.Detail ?? '';
    expect(detail).not.toContain(secret);
  });
});

describe('putChangeEvents with the largest change events', () => {
  beforeEach(() => {
    events.reset();
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
  });

  // A hostile catalog's 20 KB model ID, echoed in the evidence, plus the longest message kept (300
  // characters) of characters JSON escapes: about 47 KB an event, 470 KB for ten.
  const largest = (i: number): Change => {
    const model = `openai.${String(i).repeat(20_000)}`;
    return cell(model, {
      evidence: emptyEvidence({ httpStatus: 500, message: '"'.repeat(300), modelId: model, route: '/v1' }),
    });
  };

  it('splits ten of them into requests under 256 KB each, all sent in order', async () => {
    // Prepare
    const changes = Array.from({ length: 10 }, (_, i) => largest(i));

    // Act
    const n = await putChangeEvents(new EventBridgeClient({ region: 'us-east-1' }), changes, { runId: 'r1' });

    // Assess
    const requests = events.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries ?? []);
    expect(n).toBe(10);
    expect(requests.length).toBeGreaterThan(1);
    for (const entries of requests) {
      expect(entries.length).toBeLessThanOrEqual(10);
      expect(entries.reduce((sum, e) => sum + entryBytes(e), 0)).toBeLessThan(MAX_REQUEST_BYTES);
    }
    const models = requests.flat().map((e) => (JSON.parse(e.Detail ?? '{}') as { model: string }).model);
    expect(models).toEqual(changes.map((c) => c.model));
  });

  it('sends an event too large for its evidence without it, saying so', async () => {
    // Prepare: a model ID of 200 KB, in the evidence once more
    const model = `openai.${'x'.repeat(200_000)}`;
    const change = cell(model, { evidence: emptyEvidence({ modelId: model }) });

    // Act
    await putChangeEvents(new EventBridgeClient({ region: 'us-east-1' }), [change], { runId: 'r1' });

    // Assess
    const [entry] = events.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries ?? [];
    expect(entryBytes(entry!)).toBeLessThan(MAX_REQUEST_BYTES);
    expect(JSON.parse(entry?.Detail ?? '{}')).toMatchObject({
      model,
      evidence: null,
      evidenceDropped: 'the event would exceed 256 KB with it',
    });
  });
});

describe('README', () => {
  it('names every detail-type a rule can match on', async () => {
    // Prepare
    const readme = (await readFile(new URL('../../../README.md', import.meta.url), 'utf8')).replace(
      /\s+/g,
      ' ',
    );

    // Assess
    for (const type of Object.values(DETAIL_TYPES)) expect(readme).toContain(`\`${type}\``);
  });
});
