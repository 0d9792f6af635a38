import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api, Endpoint, Report } from '../../../lambda/core/model';
import { type Recipe, recipesFor, renderRecipe } from '../../../lambda/core/recipes';
import { parseReport } from '../../../lambda/core/report-file';
import { ENDPOINT_OVERRIDE_ENV } from '../../../lambda/shared/names';
import { runCli } from '../../cli/support';
import { type TestSimulator, withSimulator } from '../../support/simulator';

// A recipe is only worth printing if it works as written: the TypeScript and curl snippets of a
// few recipes run against the simulator, with nothing changed but the public host for the local one.

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '../../..');
let sim: TestSimulator;
let report: Report;
let dir: string;

beforeAll(async () => {
  // Prepare: a real probe run of the tiny scenario, and a scratch dir that sees the repo's packages.
  sim = await withSimulator('tiny');
  const probe = await runCli(['probe', '--region', 'us-east-1', '--format', 'json', '--quiet'], {
    [ENDPOINT_OVERRIDE_ENV.runtime]: sim.urls.runtime,
    [ENDPOINT_OVERRIDE_ENV.mantle]: sim.urls.mantle,
    [ENDPOINT_OVERRIDE_ENV.control]: sim.urls.control,
  });
  expect(probe.code, probe.stderr).toBe(0);
  report = parseReport(probe.stdout, 'probe');
  dir = await mkdtemp(join(tmpdir(), 'bedrock-matrix-recipes-'));
  await symlink(join(REPO, 'node_modules'), join(dir, 'node_modules'));
});
afterAll(async () => {
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const recipe = (model: string, endpoint: Endpoint, api: Api): Recipe => {
  const [r] = recipesFor(report, { model, endpoint, api, region: 'us-east-1' });
  if (!r) throw new Error(`no recipe for ${model} ${endpoint}/${api}`);
  return r;
};

/** The one edit a reader makes to try a recipe locally: the public host becomes the simulator. */
const local = (code: string): string =>
  code
    .replaceAll('https://bedrock-runtime.us-east-1.amazonaws.com', sim.urls.runtime)
    .replaceAll('https://bedrock-mantle.us-east-1.api.aws', sim.urls.mantle);

const childEnv = () => ({
  PATH: process.env.PATH,
  HOME: dir,
  AWS_ACCESS_KEY_ID: sim.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: sim.credentials.secretAccessKey,
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_BEARER_TOKEN_BEDROCK: sim.bearerToken,
});

async function runTypeScript(r: Recipe): Promise<string> {
  const snippet = r.snippets.find((s) => s.id === 'typescript');
  if (!snippet) throw new Error('no TypeScript snippet');
  const file = join(dir, `${r.endpoint}-${r.api}-${r.model.replace(/[^a-z0-9]/gi, '_')}.mts`);
  await writeFile(file, local(snippet.code));
  const { stdout } = await run(join(REPO, 'node_modules/.bin/tsx'), [file], {
    cwd: dir,
    env: childEnv(),
    timeout: 60_000,
  });
  return stdout;
}

async function runCurl(r: Recipe): Promise<unknown> {
  const snippet = r.snippets.find((s) => s.id === 'curl');
  if (!snippet) throw new Error('no curl snippet');
  const { stdout } = await run('bash', ['-c', local(snippet.code)], { env: childEnv(), timeout: 30_000 });
  return JSON.parse(stdout);
}

const CASES: readonly [string, Endpoint, Api][] = [
  ['openai.gpt-oss-20b', 'mantle', 'chat'],
  ['openai.gpt-5.4', 'mantle', 'responses'],
  ['openai.gpt-oss-20b', 'runtime', 'converse'],
  ['amazon.nova-micro', 'runtime', 'invoke'],
  ['anthropic.claude-sonnet-4-6', 'runtime', 'messages'],
];

describe('recipes of supported cells work as written', () => {
  it.each(CASES)('%s %s/%s: the TypeScript snippet gets an answer', async (model, endpoint, api) => {
    // Prepare
    const r = recipe(model, endpoint, api);
    expect(r.supported).toBe(true);

    // Act
    const out = await runTypeScript(r);

    // Assess
    expect(out.trim().length).toBeGreaterThan(0);
    expect(out).not.toMatch(/undefined|error/i);
  });

  it.each(CASES)('%s %s/%s: the curl snippet gets a 200 with a JSON answer', async (model, endpoint, api) => {
    // Prepare
    const r = recipe(model, endpoint, api);

    // Act
    const body = (await runCurl(r)) as Record<string, unknown>;

    // Assess
    const shape = {
      chat: 'choices',
      responses: 'output',
      converse: 'output',
      messages: 'content',
      invoke: 'output',
    };
    expect(Object.keys(body)).toContain(shape[api]);
  });
});

describe('recipe facts', () => {
  it('names base URL, route, the model ID that worked and the auth, from the evidence', () => {
    // Act
    const r = recipe('openai.gpt-oss-20b', 'mantle', 'chat');

    // Assess
    const cell = report.cells.find(
      (c) => c.model === r.model && c.endpoint === 'mantle' && c.api === 'chat' && c.variant === 'basic',
    );
    expect(r.route).toBe(cell?.evidence.route);
    expect(r.baseUrl).toBe(`https://bedrock-mantle.us-east-1.api.aws${cell?.evidence.route}`);
    expect(r.modelId).toBe(cell?.evidence.modelId);
    expect(r.auth).toContain('Bearer');
    expect(renderRecipe(r)).toContain('```ts');
  });

  it('says why for a cell that does not work, and what works instead', () => {
    // Act
    const r = recipe('meta.llama3-70b-instruct', 'runtime', 'converse');

    // Assess
    expect(r.supported).toBe(false);
    expect(r.snippets).toEqual([]);
    expect(r.why).toMatch(/^no-access: the model exists but this account may not call it \(HTTP 403/);
  });

  it('an unsupported api of a model names the apis that do work for it', () => {
    // Act
    const r = recipe('openai.gpt-5.4', 'mantle', 'chat');

    // Assess
    expect(r.supported).toBe(false);
    expect(r.worksInstead).toContain('mantle/responses');
    expect(renderRecipe(r)).toContain('**Why not:**');
  });
});
