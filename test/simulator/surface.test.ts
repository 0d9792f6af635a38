import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegionRun } from '../../lambda/engine/run-region';
import { loadScenario, parseScenario } from '../../simulator/scenario';
import { HOST_SURFACE } from '../../simulator/surface';
import type { Scenario } from '../../simulator/types';
import { findCell } from '../support/cells';
import { rejectionOf } from '../support/rejection';
import { cellDigest, probeSimulator } from '../support/sim-run';
import { SIM_CREDENTIALS, type TestSimulator, withSimulator } from '../support/simulator';

const GPT_OSS = 'openai.gpt-oss-20b';

/** tiny, with a surface the prober does not expect: mantle Converse and stored Chat completions. */
function drifted(tiny: Scenario): Scenario {
  const raw = JSON.parse(JSON.stringify(tiny));
  const model = raw.models.find((m: { key: string }) => m.key === GPT_OSS);
  model.mantle.apis.converse = { features: ['stream'] };
  model.mantle.apis.chat.features = ['stream', 'tools', 'stateful'];
  raw.name = 'tiny-drifted';
  return parseScenario(raw, 'tiny-drifted.json');
}

/** Every TypeScript source under simulator/, as text. */
async function simulatorSources(): Promise<{ file: string; text: string }[]> {
  const dir = join(import.meta.dirname, '../../simulator');
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.ts'));
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(join(dir, file), 'utf8') })));
}

describe('the simulator keeps its own beliefs', () => {
  it('imports none of the prober code (from-report reads only report types and guardrail names, scenario-regions the region names)', async () => {
    // Prepare
    const sources = await simulatorSources();

    // Act
    const offenders: string[] = [];
    for (const { file, text } of sources) {
      const fromLambda = [...text.matchAll(/^import[^;]*from '(?:\.\.\/)+lambda\/[^']+';/gms)].map(
        (m) => m[0],
      );
      // from-report converts our own reports: their types, and the stack's guardrail constants.
      // scenario-regions names regions as `--region` does: which names are Bedrock regions is not
      // a belief about what a region serves.
      const allowed = (i: string) =>
        (file === 'from-report.ts' && (i.startsWith('import type ') || i.includes('lambda/shared/names'))) ||
        (file === 'scenario-regions.ts' &&
          i === "import { regionProblem } from '../lambda/shared/settings';");
      const bad = fromLambda.filter((i) => !allowed(i));
      if (bad.length > 0) offenders.push(`${file}: ${bad.join(' ')}`);
    }

    // Assess
    expect(sources.length).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });

  it('takes nothing from lambda/core, not even a type: the Bedrock vocabulary stays its own', async () => {
    // Prepare
    const sources = await simulatorSources();

    // Act
    const offenders: string[] = [];
    for (const { file, text } of sources) {
      if (/(?:from|import)\s*\(?\s*'(?:\.\.\/)+lambda\/core\b/.test(text)) offenders.push(file);
    }

    // Assess
    expect(sources.some(({ file }) => file.includes('hosts/runtime/codecs'))).toBe(true);
    expect(offenders).toEqual([]);
  });

  it('lets a scenario declare mantle Converse and stateful Chat, which the prober tables lack', async () => {
    // Prepare
    const tiny = await loadScenario('tiny');

    // Act
    const scenario = drifted(tiny);

    // Assess
    const mantle = scenario.models.find((m) => m.key === GPT_OSS)?.mantle;
    expect(mantle?.apis.converse).toEqual({ features: ['stream'] });
    expect(mantle?.apis.chat?.features).toContain('stateful');
    expect(HOST_SURFACE.mantle.converse?.routes).toEqual([]);
  });
});

describe('a drifted surface on the wire', () => {
  let plain: TestSimulator;
  let drift: TestSimulator;
  beforeAll(async () => {
    const tiny = await loadScenario('tiny');
    [plain, drift] = await Promise.all([withSimulator(tiny), withSimulator(drifted(tiny))]);
  });
  afterAll(async () => Promise.all([plain?.close(), drift?.close()]));

  const converseOnMantle = (sim: TestSimulator) =>
    new BedrockRuntimeClient({
      region: sim.region,
      endpoint: sim.urls.mantle,
      credentials: SIM_CREDENTIALS,
      // The mantle listener speaks HTTP/1.1 only, as the real mantle host's OpenAI surface does.
      requestHandler: new NodeHttpHandler(),
      maxAttempts: 1,
    }).send(
      new ConverseCommand({
        modelId: GPT_OSS,
        messages: [{ role: 'user', content: [{ text: 'hi' }] }],
        inferenceConfig: { maxTokens: 8 },
      }),
    );

  it('mantle answers Converse only in the drifted scenario', async () => {
    // Act
    const refused = await rejectionOf<{ $metadata: { httpStatusCode: number } }>(converseOnMantle(plain));
    const answered = await converseOnMantle(drift);

    // Assess
    expect(refused.$metadata.httpStatusCode).toBe(404);
    expect(answered.output?.message?.content?.[0]?.text).toBeTruthy();
    expect(drift.world.calls.at(-1)).toMatchObject({ host: 'mantle', api: 'converse', status: 200 });
  });

  it('mantle Chat with store: true is refused unless the model gained stateful', async () => {
    // Prepare
    const chat = (sim: TestSimulator) =>
      new OpenAI({
        baseURL: `${sim.urls.mantle}/v1`,
        apiKey: sim.bearerToken,
        maxRetries: 0,
      }).chat.completions.create({
        model: GPT_OSS,
        messages: [{ role: 'user', content: 'hi' }],
        max_completion_tokens: 8,
        store: true,
      });

    // Act
    const refused = await rejectionOf<{ status: number }>(chat(plain));
    const answered = await chat(drift);

    // Assess
    expect(refused.status).toBe(400);
    expect(answered.choices[0]?.message.content).toBeTruthy();
  });
});

describe('what the prober makes of a surface it does not expect', () => {
  let plainRun: RegionRun;
  let driftRun: RegionRun;
  let sims: TestSimulator[] = [];
  beforeAll(async () => {
    // Prepare
    const tiny = await loadScenario('tiny');
    sims = await Promise.all([withSimulator(tiny), withSimulator(drifted(tiny))]);

    // Act
    const [first, second] = sims;
    if (!first || !second) throw new Error('two simulators expected');
    // One after the other, with room per call: a loaded machine must not turn cells into errors.
    plainRun = await probeSimulator(first, 10_000);
    driftRun = await probeSimulator(second, 10_000);
  }, 120_000);
  afterAll(async () => Promise.all(sims.map((s) => s.close())));

  it('does not crash and reports the run exactly as without the drift (it never looks there)', () => {
    // Assess
    expect(driftRun.cells.filter((c) => c.status === 'error')).toEqual([]);
    expect(driftRun.cells.length).toBeGreaterThan(10);
    expect(cellDigest(driftRun)).toEqual(cellDigest(plainRun));
    expect(driftRun.cells.some((c) => c.endpoint === 'mantle' && c.api === 'converse')).toBe(false);
    expect(driftRun.cells.some((c) => c.api === 'chat' && c.variant === 'stateful')).toBe(false);
    expect(findCell(driftRun.cells, GPT_OSS, 'mantle', 'chat').status).toBe('supported');
  });

  it('never sent a mantle Converse call', () => {
    // Assess
    const drift = sims[1];
    expect(drift?.world.calls.filter((c) => c.host === 'mantle' && c.api === 'converse')).toEqual([]);
  });
});
