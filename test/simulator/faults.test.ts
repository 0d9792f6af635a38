import { BedrockClient, ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draw, GARBAGE_HTML } from '../../simulator/faults';
import { loadScenario, parseScenario, ScenarioError } from '../../simulator/scenario';
import type { Fault, Scenario } from '../../simulator/types';
import { createWorld } from '../../simulator/world';
import { SIM_CREDENTIALS, type TestSimulator, withSimulator } from '../support/simulator';

let tiny: Scenario;
beforeAll(async () => {
  tiny = await loadScenario('tiny');
});

const noSleep = async () => {};
const GPT_OSS = 'openai.gpt-oss-20b';

function withFaults(faults: unknown[], seed?: number): Scenario {
  return parseScenario({ ...tiny, faults, ...(seed === undefined ? {} : { seed }) }, 'faults.json');
}

function errorFor(faults: unknown[]): string {
  try {
    withFaults(faults);
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return (err as Error).message;
  }
  throw new Error('expected the scenario to be refused');
}

/** Fates of `n` identical mantle Chat calls: 'T' throttled, '5' server error, '.' answered. */
async function fates(scenario: Scenario, n: number): Promise<string> {
  const world = createWorld(scenario, { sleep: noSleep });
  let out = '';
  for (let i = 0; i < n; i++) {
    const d = await world.decide({
      host: 'mantle',
      region: 'us-east-1',
      api: 'chat',
      route: '/v1',
      modelId: GPT_OSS,
      features: [],
      path: '/v1/chat/completions',
    });
    out += d.ok ? '.' : d.error.status === 429 ? 'T' : '5';
  }
  return out;
}

describe('fault syntax', () => {
  it('accepts every fault type as written', () => {
    // Prepare
    const faults: Fault[] = [
      { type: 'throttle', percent: 50, match: { host: 'mantle' } },
      { type: 'server-error', percent: 5, status: 500 },
      { type: 'garbage', body: 'html', match: { host: 'control' } },
      { type: 'garbage', body: 'empty-object' },
      { type: 'empty-catalog', count: 1 },
      { type: 'silent', match: { host: 'mantle' } },
    ];

    // Act
    const scenario = withFaults(faults, 42);

    // Assess
    expect(scenario.faults).toEqual(faults);
    expect(scenario.seed).toBe(42);
  });

  it.each([
    [
      [{ type: 'throttle', percent: 0 }],
      'faults.json: faults[0].percent: must be an integer from 1 to 100, got 0',
    ],
    [
      [{ type: 'server-error', percent: 150 }],
      'faults.json: faults[0].percent: must be an integer from 1 to 100, got 150',
    ],
    [
      [{ type: 'garbage', body: 'xml' }],
      'faults.json: faults[0].body: must be one of html, empty-object, got "xml"',
    ],
    [
      [{ type: 'empty-catalog' }],
      'faults.json: faults[0].count: empty-catalog needs a count of catalog reads, got nothing',
    ],
    [
      [{ type: 'empty-catalog', count: 1, match: { host: 'runtime' } }],
      'faults.json: faults[0].match.host: must be one of mantle, control, got "runtime"',
    ],
    [
      [{ type: 'silent', match: { api: 'chat' } }],
      'faults.json: faults[0].match.api: unknown key (allowed: host), got "api"',
    ],
    [
      [{ type: 'silent', percent: 5 }],
      'faults.json: faults[0].percent: unknown key (allowed: type, match, count), got "percent"',
    ],
  ])('refuses %j with one line', (faults, message) => {
    // Act
    const error = errorFor(faults);

    // Assess
    expect(error).toBe(message);
  });

  it('bounds the seed', () => {
    // Act
    const error = (() => {
      try {
        withFaults([], -1);
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();

    // Assess
    expect(error).toBe('faults.json: seed: must be an integer from 0 to 4294967295, got -1');
  });
});

describe('percentage faults are seeded', () => {
  it('throttles about half of 400 calls, the same calls on every run of the same seed', async () => {
    // Prepare
    const scenario = withFaults([{ type: 'throttle', percent: 50 }], 7);

    // Act
    const first = await fates(scenario, 400);
    const again = await fates(scenario, 400);
    const otherSeed = await fates(withFaults([{ type: 'throttle', percent: 50 }], 8), 400);

    // Assess
    const throttled = [...first].filter((c) => c === 'T').length;
    expect(throttled).toBeGreaterThan(150);
    expect(throttled).toBeLessThan(250);
    expect(again).toBe(first);
    expect(otherSeed).not.toBe(first);
  });

  it('fails about 5% with a 5xx, and a count caps a percentage', async () => {
    // Prepare
    const five = withFaults([{ type: 'server-error', percent: 5 }]);
    const capped = withFaults([{ type: 'throttle', percent: 50, count: 3 }]);

    // Act
    const fiveFates = await fates(five, 1000);
    const cappedFates = await fates(capped, 200);

    // Assess
    const failed = [...fiveFates].filter((c) => c === '5').length;
    expect(failed).toBeGreaterThan(25);
    expect(failed).toBeLessThan(80);
    expect([...cappedFates].filter((c) => c === 'T')).toHaveLength(3);
  });

  it('draws values spread over [0,1)', () => {
    // Act
    const values = Array.from({ length: 1000 }, (_, i) => draw(1, `k${i}`));

    // Assess
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.filter((v) => v < 0.1).length).toBeGreaterThan(60);
    expect(values.filter((v) => v < 0.1).length).toBeLessThan(140);
  });
});

describe('wire faults over HTTP, switched at run time through the control port', () => {
  let sim: TestSimulator;
  beforeAll(async () => {
    sim = await withSimulator('tiny');
  });
  afterAll(async () => sim?.close());

  const put = (scenario: Scenario) =>
    fetch(`${sim.urls.control}/_simulator/scenario`, { method: 'PUT', body: JSON.stringify(scenario) });
  const mantle = () =>
    new OpenAI({ baseURL: `${sim.urls.mantle}/v1`, apiKey: sim.bearerToken, maxRetries: 0 });
  const chat = () =>
    fetch(`${sim.urls.mantle}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.bearerToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: GPT_OSS, messages: [{ role: 'user', content: 'hi' }] }),
      signal: AbortSignal.timeout(2_000),
    });
  const listFoundationModels = () =>
    new BedrockClient({
      region: sim.region,
      endpoint: sim.urls.control,
      credentials: SIM_CREDENTIALS,
      maxAttempts: 1,
    }).send(new ListFoundationModelsCommand({}));

  it('answers an HTML login page with 200 to everything on the host it names, and nowhere else', async () => {
    // Prepare
    expect(
      (await put(withFaults([{ type: 'garbage', body: 'html', match: { host: 'mantle' } }]))).status,
    ).toBe(200);

    // Act
    const models = await fetch(`${sim.urls.mantle}/v1/models`);
    const answer = await chat();
    const control = await listFoundationModels();

    // Assess
    expect(models.status).toBe(200);
    expect(models.headers.get('content-type')).toContain('text/html');
    expect(await models.text()).toBe(GARBAGE_HTML);
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe(GARBAGE_HTML);
    expect(control.modelSummaries?.length).toBeGreaterThan(0);
  });

  it('answers {} with 200 on every host, control plane included, while the admin routes still work', async () => {
    // Prepare
    await put(withFaults([{ type: 'garbage', body: 'empty-object' }]));

    // Act
    const answer = await chat();
    const control = await fetch(`${sim.urls.control}/foundation-models`);
    const runtime = await fetch(`${sim.urls.runtime}/model/x/converse`, { method: 'POST', body: '{}' });
    const admin = await fetch(`${sim.urls.control}/_simulator/scenario`);

    // Assess
    expect(await answer.text()).toBe('{}');
    expect([control.status, await control.text()]).toEqual([200, '{}']);
    expect([runtime.status, await runtime.text()]).toEqual([200, '{}']);
    expect(((await admin.json()) as Scenario).name).toBe('tiny');
  });

  it('empties both catalogs for their first read only', async () => {
    // Prepare
    await put(withFaults([{ type: 'empty-catalog', count: 1 }]));

    // Act
    const firstMantle = await mantle().models.list();
    const secondMantle = await mantle().models.list();
    const firstRuntime = await listFoundationModels();
    const secondRuntime = await listFoundationModels();

    // Assess
    expect(firstMantle.data).toEqual([]);
    expect(secondMantle.data.map((m) => m.id)).toContain(GPT_OSS);
    expect(firstRuntime.modelSummaries).toEqual([]);
    expect(secondRuntime.modelSummaries?.length).toBeGreaterThan(0);
  });

  it('keeps a silent host connected without an answer until the faults are switched off', async () => {
    // Prepare
    await put(withFaults([{ type: 'silent', match: { host: 'mantle' } }]));
    const started = Date.now();

    // Act
    const silent = await fetch(`${sim.urls.mantle}/v1/models`, { signal: AbortSignal.timeout(300) }).then(
      () => 'answered',
      (err: Error) => err.name,
    );
    await put(tiny);
    const after = await fetch(`${sim.urls.mantle}/v1/models`, {
      headers: { authorization: `Bearer ${sim.bearerToken}` },
    });

    // Assess
    expect(silent).toBe('TimeoutError');
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(
      sim.world.calls.some((c) => c.host === 'mantle' && c.path === '/v1/models' && c.status === 0),
    ).toBe(true);
    expect(after.status).toBe(200);
  });
});
