import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hostInRegion, scenarioIn } from '../../simulator/region';
import {
  DEFAULT_SCENARIO,
  listScenarios,
  loadScenario,
  parseScenario,
  ScenarioError,
} from '../../simulator/scenario';
import type { Scenario } from '../../simulator/types';

let tiny: Scenario;
beforeAll(async () => {
  tiny = await loadScenario('tiny');
});

/** Raw scenario JSON: the bad-file tests poke at arbitrary paths, which is exactly what types forbid. */
// biome-ignore lint/suspicious/noExplicitAny: tests write malformed JSON on purpose
type RawJson = Record<string, any>;

/** A deep copy of tiny with one edit applied to its plain JSON. */
function edited(edit: (s: RawJson) => void): unknown {
  const copy = JSON.parse(JSON.stringify(tiny)) as RawJson;
  edit(copy);
  return copy;
}

function errorFor(value: unknown): string {
  try {
    parseScenario(value, 'bad.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return (err as Error).message;
  }
  throw new Error('expected parseScenario to throw');
}

describe('shipped scenarios', () => {
  it('lists today, may-2026, org and tiny, and defaults to today', async () => {
    // Prepare
    const expected = ['may-2026', 'org', 'tiny', 'today'];

    // Act
    const names = await listScenarios();

    // Assess
    expect(names).toEqual(expected);
    expect(DEFAULT_SCENARIO).toBe('today');
  });

  it('may-2026 lists exactly 40 models on mantle, 38 of them with Chat Completions', async () => {
    // Prepare
    const may = await loadScenario('may-2026');

    // Act
    const mantle = may.models.filter((m) => m.mantle && m.mantle.listed !== false);
    const withoutChat = mantle.filter((m) => !m.mantle?.apis.chat).map((m) => m.mantle?.id);

    // Assess
    expect(mantle).toHaveLength(40);
    expect(mantle.length - withoutChat.length).toBe(38);
    expect(withoutChat.sort()).toEqual(['anthropic.claude-haiku-4-5', 'anthropic.claude-opus-4-7']);
  });

  it('may-2026 keeps Claude Sonnet 4.6 off mantle and behind a us. profile on runtime', async () => {
    // Prepare
    const may = await loadScenario('may-2026');

    // Act
    const sonnet = may.models.find((m) => m.key === 'anthropic.claude-sonnet-4-6');

    // Assess
    expect(sonnet?.mantle).toBeUndefined();
    expect(sonnet?.runtime).toMatchObject({ id: 'anthropic.claude-sonnet-4-6', onDemand: false });
    expect(sonnet?.runtime?.profiles).toContain('us.anthropic.claude-sonnet-4-6');
  });

  it('may-2026 has no Responses or Messages on runtime and ignores guardrails on mantle', async () => {
    // Prepare
    const may = await loadScenario('may-2026');

    // Act
    const runtimeApis = new Set(may.models.flatMap((m) => Object.keys(m.runtime?.apis ?? {})));

    // Assess
    expect([...runtimeApis].sort()).toEqual(['chat', 'converse', 'invoke']);
    expect(may.guardrailBehaviour.mantle).toEqual({
      chat: 'ignored',
      responses: 'ignored',
      messages: 'ignored',
    });
    expect(may.guardrailBehaviour.runtime).toMatchObject({
      converse: 'enforced',
      invoke: 'enforced',
      chat: 'enforced',
    });
  });

  it('today puts GPT-5.x on /openai/v1 Responses only and Claude Sonnet 4.6 on mantle Messages', async () => {
    // Prepare
    const today = await loadScenario('today');

    // Act
    const gpt56 = today.models.find((m) => m.key === 'openai.gpt-5.6-sol');
    const sonnet = today.models.find((m) => m.key === 'anthropic.claude-sonnet-4-6');

    // Assess
    expect(today.models.length).toBeGreaterThanOrEqual(45);
    expect(today.models.length).toBeLessThanOrEqual(65);
    expect(Object.keys(gpt56?.mantle?.apis ?? {})).toEqual(['responses']);
    expect(gpt56?.mantle?.apis.responses?.routes).toEqual(['/openai/v1']);
    expect(gpt56?.runtime?.profiles).toEqual(['us.openai.gpt-5.6-sol', 'global.openai.gpt-5.6-sol']);
    expect(sonnet?.mantle?.apis.messages?.routes).toEqual(['/anthropic/v1']);
    expect(today.guardrailBehaviour.runtime?.responses).toBe('ignored');
  });
});

describe('the regions of the today scenario', () => {
  it('has no mantle where only the runtime serves, no Gemma 4 in eu-west-1, and all of it in us-east-1', async () => {
    // Prepare
    const today = await loadScenario('today');

    // Act
    const euWest1 = scenarioIn(today, 'eu-west-1').models.map((m) => m.key);

    // Assess
    expect(hostInRegion(today, 'eu-west-3', 'mantle')).toBe(false);
    expect(hostInRegion(today, 'eu-west-1', 'mantle')).toBe(true);
    expect(euWest1.filter((k) => k.startsWith('google.gemma-4'))).toEqual([]);
    expect(euWest1).toContain('openai.gpt-oss-120b');
    expect(scenarioIn(today, 'us-east-1')).toBe(today);
    expect(scenarioIn(today, 'us-west-2')).toBe(today);
  });
});

describe('parseScenario rejects bad files with one line naming field and value', () => {
  it.each<[string, (s: RawJson) => void, string]>([
    [
      'a route without a leading slash',
      (s) => {
        s.models[0].mantle.apis.chat.routes = ['v1'];
      },
      'bad.json: models[0].mantle.apis.chat.routes[0]: route must start with "/", got "v1"',
    ],
    [
      'a route the host does not serve for that api',
      (s) => {
        s.models[0].mantle.apis.chat.routes = ['/openai/v2'];
      },
      'bad.json: models[0].mantle.apis.chat.routes[0]: mantle chat routes are /v1, /openai/v1, got "/openai/v2"',
    ],
    [
      'a typo in a key',
      (s) => {
        s.models[1].runtime.onDemnad = true;
      },
      'bad.json: models[1].runtime.onDemnad: unknown key (allowed: id, listed, onDemand, profiles, access, lifecycle, legacyTime, endOfLifeTime, declaredStreaming, apis), got "onDemnad"',
    ],
    [
      'a lifecycle time that is neither a time nor a day duration',
      (s) => {
        s.models[1].runtime.endOfLifeTime = 'next month';
      },
      'bad.json: models[1].runtime.endOfLifeTime: must be an ISO 8601 time or a day duration like "P10D", got "next month"',
    ],
    [
      'an api no host serves',
      (s) => {
        s.models[0].mantle.apis.embeddings = {};
      },
      'bad.json: models[0].mantle.apis.embeddings: unknown key (allowed: converse, invoke, chat, responses, messages), got "embeddings"',
    ],
    [
      'an unknown feature',
      (s) => {
        s.models[0].mantle.apis.chat.features = ['stream', 'telepathy'];
      },
      'bad.json: models[0].mantle.apis.chat.features[1]: must be one of stream, tools, stateful, background, got "telepathy"',
    ],
    [
      'a feature the api cannot express',
      (s) => {
        s.models[0].mantle.apis.chat.features = ['background'];
      },
      'bad.json: models[0].mantle.apis.chat.features[0]: mantle chat supports only stream, tools, stateful, got "background"',
    ],
    [
      'a duplicate model key',
      (s) => {
        s.models[2].key = s.models[0].key;
      },
      'bad.json: models[2].key: duplicate model key (also models[0]), got "openai.gpt-oss-20b"',
    ],
    [
      'a runtime id used by two models',
      (s) => {
        s.models[3].runtime.profiles = ['us.anthropic.claude-sonnet-4-6'];
      },
      'bad.json: models[3].runtime: duplicate runtime ID (also models[1]), got "us.anthropic.claude-sonnet-4-6"',
    ],
    [
      'a prefixed mantle id',
      (s) => {
        s.models[0].mantle.id = 'us.openai.gpt-oss-20b';
      },
      'bad.json: models[0].mantle.id: mantle IDs are bare, without an inference-profile prefix, got "us.openai.gpt-oss-20b"',
    ],
    [
      'a profile without a geography',
      (s) => {
        s.models[1].runtime.profiles = ['anthropic.claude-sonnet-4-6-profile'];
      },
      'bad.json: models[1].runtime.profiles[0]: profile ID must start with a geography like "us.", got "anthropic.claude-sonnet-4-6-profile"',
    ],
    [
      'onDemand false without profiles',
      (s) => {
        s.models[1].runtime.profiles = [];
      },
      'bad.json: models[1].runtime.onDemand: a model without on-demand throughput needs at least one profile, got false',
    ],
    [
      'a bad family',
      (s) => {
        s.models[0].family = 'gpt';
      },
      'bad.json: models[0].family: must be one of anthropic, gpt-oss, nova, meta, mistral, other, got "gpt"',
    ],
    [
      'a model on no host',
      (s) => {
        s.models[7].mantle = undefined;
      },
      'bad.json: models[7]: model needs a runtime or a mantle presence, got "xai.grok-4.3"',
    ],
    [
      'a throttle fault without count',
      (s) => {
        s.faults = [{ type: 'throttle' }];
      },
      'bad.json: faults[0].count: throttle needs a count or a percent of calls to refuse, got nothing',
    ],
    [
      'a non-5xx server error',
      (s) => {
        s.faults = [{ type: 'server-error', status: 404 }];
      },
      'bad.json: faults[0].status: must be an integer from 500 to 599, got 404',
    ],
    [
      'an unknown fault type',
      (s) => {
        s.faults = [{ type: 'explode' }];
      },
      'bad.json: faults[0].type: must be one of throttle, server-error, slow, garbage, empty-catalog, silent, stream-failed, got "explode"',
    ],
    [
      'a fault key of another fault type',
      (s) => {
        s.faults = [{ type: 'throttle', count: 1, delayMs: 5 }];
      },
      'bad.json: faults[0].delayMs: unknown key (allowed: type, match, count, percent, quota), got "delayMs"',
    ],
    [
      'a fault match on an unknown host',
      (s) => {
        s.faults = [{ type: 'slow', delayMs: 5, match: { host: 'control' } }];
      },
      'bad.json: faults[0].match.host: must be one of runtime, mantle, got "control"',
    ],
    [
      'a latency of 1e20 ms',
      (s) => {
        s.latency = { fixedMs: 1e20 };
      },
      'bad.json: latency.fixedMs: must be an integer from 0 to 600000, got 100000000000000000000',
    ],
    [
      'a latency range beyond ten minutes',
      (s) => {
        s.latency = { minMs: 0, maxMs: 600_001 };
      },
      'bad.json: latency.maxMs: must be an integer from 0 to 600000, got 600001',
    ],
    [
      'a slow fault delay beyond ten minutes',
      (s) => {
        s.faults = [{ type: 'slow', delayMs: 1e9 }];
      },
      'bad.json: faults[0].delayMs: must be an integer from 0 to 600000, got 1000000000',
    ],
    [
      'a fault count beyond a million',
      (s) => {
        s.faults = [{ type: 'throttle', count: 1e300 }];
      },
      'bad.json: faults[0].count: must be an integer from 1 to 1000000, got 1e+300',
    ],
    [
      'latency with max below min',
      (s) => {
        s.latency = { minMs: 50, maxMs: 10 };
      },
      'bad.json: latency.maxMs: must be >= minMs (50), got 10',
    ],
    [
      'a guardrail behaviour typo',
      (s) => {
        s.guardrailBehaviour.runtime.chat = 'enforce';
      },
      'bad.json: guardrailBehaviour.runtime.chat: must be one of enforced, ignored, got "enforce"',
    ],
    [
      'a guardrail version that is not a number',
      (s) => {
        s.guardrails[0].versions = ['v1'];
      },
      'bad.json: guardrails[0].versions[0]: version must be a number like "1", got "v1"',
    ],
    [
      'a guardrail without words',
      (s) => {
        s.guardrails[0].words = [];
      },
      'bad.json: guardrails[0].words: needs at least one word, got []',
    ],
    [
      'an unknown top-level key',
      (s) => {
        s.model = [];
      },
      'bad.json: model: unknown key (allowed: name, description, defaultAccount, accounts, defaultRegion, regions, guardrailBehaviour, guardrails, enforcedGuardrails, wrongRouteStatus, latency, seed, faults, models), got "model"',
    ],
    [
      'a region where Bedrock does not run',
      (s) => {
        s.regions = { 'us-east-9': { withoutHosts: ['mantle'] } };
      },
      'bad.json: regions.us-east-9: is not an AWS region where Amazon Bedrock runs, got "us-east-9"',
    ],
    [
      'a default region that is not a region name',
      (s) => {
        s.defaultRegion = 'virginia';
      },
      'bad.json: defaultRegion: is not an AWS region name (e.g. us-east-1), got "virginia"',
    ],
    [
      'a region without a model the scenario does not have',
      (s) => {
        s.regions = { 'eu-west-1': { withoutModels: ['openai.gpt-oss-21b'] } };
      },
      'bad.json: regions.eu-west-1.withoutModels[0]: not a model key of this scenario, got "openai.gpt-oss-21b"',
    ],
    [
      'a region without the runtime host',
      (s) => {
        s.regions = { 'eu-west-1': { withoutHosts: ['runtime'] } };
      },
      'bad.json: regions.eu-west-1.withoutHosts[0]: must be one of mantle, got "runtime"',
    ],
    [
      'a typo in a region key',
      (s) => {
        s.regions = { 'eu-west-1': { withoutHost: ['mantle'] } };
      },
      'bad.json: regions.eu-west-1.withoutHost: unknown key (allowed: withoutModels, withoutHosts), got "withoutHost"',
    ],
  ])('%s', (_label, edit, message) => {
    // Prepare
    const value = edited(edit);

    // Act
    const error = errorFor(value);

    // Assess
    expect(error).toBe(message);
    expect(error).not.toContain('\n');
  });

  it('rejects a non-object with a one-line message', () => {
    // Prepare
    const value = [1, 2];

    // Act
    const error = errorFor(value);

    // Assess
    expect(error).toBe('bad.json: must be an object, got [1,2]');
  });

  it('shortens a very long bad value', () => {
    // Prepare
    const value = edited((s) => {
      s.name = 'X'.repeat(300);
    });

    // Act
    const error = errorFor(value);

    // Assess
    expect(error.length).toBeLessThan(160);
    expect(error).toMatch(/^bad\.json: name: must be lower-case letters, digits and dashes, got "X+\.\.\.$/);
  });

  it('accepts a valid fault list and latency unchanged', () => {
    // Prepare
    const value = edited((s) => {
      s.faults = [
        { type: 'throttle', count: 2, match: { host: 'mantle', api: 'chat', model: '*' } },
        { type: 'server-error', status: 500 },
        { type: 'slow', delayMs: 100, count: 1 },
      ];
      s.latency = { fixedMs: 5 };
    });

    // Act
    const scenario = parseScenario(value, 'ok.json');

    // Assess
    expect(scenario.faults).toEqual((value as Scenario).faults);
    expect(scenario.latency).toEqual({ fixedMs: 5 });
  });
});

describe('loadScenario', () => {
  it('names an unknown shipped scenario and lists the known ones', async () => {
    // Prepare
    const name = 'june-2026';

    // Act
    const error = await loadScenario(name).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as Error).message).toBe(
      'june-2026.json: no such scenario "june-2026" (known: may-2026, org, tiny, today)',
    );
  });

  it('reports bad JSON in a file path on one line', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'scenario-test-'));
    const file = join(dir, 'broken.json');
    await writeFile(file, '{"name": "x",\n  "models": [\n');

    // Act
    const error = await loadScenario(file).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as Error).message).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid JSON: `),
    );
    expect((error as Error).message).not.toContain('\n');
  });

  it('reports an unreadable path', async () => {
    // Prepare
    const file = join(tmpdir(), 'no-such-dir-xyz', 'scenario.json');

    // Act
    const error = await loadScenario(file).catch((e: unknown) => e);

    // Assess
    expect((error as Error).message).toBe(`${file}: cannot read scenario file (ENOENT)`);
  });

  it('loads a valid scenario from a file path', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'scenario-test-'));
    const file = join(dir, 'mine.json');
    await writeFile(file, JSON.stringify({ ...tiny, name: 'mine' }));

    // Act
    const scenario = await loadScenario(file);

    // Assess
    expect(scenario.name).toBe('mine');
    expect(scenario.models).toHaveLength(tiny.models.length);
  });
});
