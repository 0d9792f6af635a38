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
import { argv, runCli } from '../../cli/support';
import { type TestSimulator, withSimulator } from '../../support/simulator';

// A recipe is only worth printing if it works as pasted: every snippet is taken from the text the
// `recipe` command and the HTML report print (never from the Recipe object, which the printer's
// scrubber has not seen) and run against the simulator, with nothing changed but the public host.

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '../../..');
let sim: TestSimulator;
let report: Report;
let dir: string;
let reportFile: string;

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
  reportFile = join(dir, 'run.json');
  await writeFile(reportFile, probe.stdout);
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
  // boto3's snippet names no endpoint: the SDK's own per-service override points it here.
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME: sim.urls.runtime,
});

/** The fenced blocks of what `recipe` printed, by language tag. */
async function printedSnippets(model: string, endpoint: Endpoint, api: Api): Promise<Map<string, string>> {
  const printed = await runCli(
    argv`recipe ${model} --in ${reportFile} --region us-east-1 --endpoint ${endpoint} --api ${api}`,
  );
  expect(printed.code, printed.stderr).toBe(0);
  const blocks = new Map<string, string>();
  for (const m of printed.stdout.matchAll(/^```(\w+)\n([\s\S]*?)\n```$/gm))
    blocks.set(m[1] ?? '', m[2] ?? '');
  return blocks;
}

const block = (blocks: Map<string, string>, lang: string): string => {
  const code = blocks.get(lang);
  if (code === undefined) throw new Error(`no ${lang} block printed`);
  return code;
};

async function runTypeScript(code: string, name: string): Promise<string> {
  const file = join(dir, `${name.replace(/[^a-z0-9]/gi, '_')}.mts`);
  await writeFile(file, local(code));
  const { stdout } = await run(join(REPO, 'node_modules/.bin/tsx'), [file], {
    cwd: dir,
    env: childEnv(),
    timeout: 60_000,
  });
  return stdout;
}

const runShell = async (code: string): Promise<unknown> =>
  JSON.parse((await run('bash', ['-c', local(code)], { env: childEnv(), timeout: 30_000 })).stdout);

/** Whether Python can import `module`, asked once per module (an import of boto3 takes a second). */
const pythonModules = new Map<string, Promise<boolean>>();
const pythonHas = (module: string): Promise<boolean> => {
  let has = pythonModules.get(module);
  if (!has) {
    has = run('python3', ['-c', `import ${module}`]).then(
      () => true,
      () => false,
    );
    pythonModules.set(module, has);
  }
  return has;
};

const ANSWER_KEY: Readonly<Record<Api, string>> = {
  chat: 'choices',
  responses: 'output',
  converse: 'output',
  messages: 'content',
  invoke: 'output',
};

const CASES: readonly [string, Endpoint, Api][] = [
  ['openai.gpt-oss-20b', 'mantle', 'chat'],
  ['openai.gpt-5.4', 'mantle', 'responses'],
  ['openai.gpt-oss-20b', 'runtime', 'converse'],
  ['amazon.nova-micro', 'runtime', 'invoke'],
  ['anthropic.claude-sonnet-4-6', 'runtime', 'messages'],
];

describe('the snippets recipe prints work as pasted', () => {
  it.each(CASES)('%s %s/%s: the printed TypeScript gets an answer', async (model, endpoint, api) => {
    // Prepare
    const blocks = await printedSnippets(model, endpoint, api);

    // Act
    const out = await runTypeScript(block(blocks, 'ts'), `${endpoint}-${api}-${model}`);

    // Assess
    expect(out.trim().length).toBeGreaterThan(0);
    expect(out).not.toMatch(/undefined|error/i);
  });

  it.each(CASES)(
    '%s %s/%s: the printed curl gets a 200 with the api answer',
    async (model, endpoint, api) => {
      // Prepare
      const code = block(await printedSnippets(model, endpoint, api), 'sh');
      expect(code).toContain('Authorization: Bearer $AWS_BEARER_TOKEN_BEDROCK');

      // Act
      const body = (await runShell(code)) as Record<string, unknown>;

      // Assess
      expect(Object.keys(body)).toContain(ANSWER_KEY[api]);
    },
  );

  it.each(CASES)(
    '%s %s/%s: the printed Python runs where its SDK is here, else compiles',
    async (model, endpoint, api) => {
      // Prepare: the openai, anthropic and token-generator Python packages are not test tools, boto3
      // may be; a snippet whose SDK is missing is only checked to be valid Python.
      const code = local(block(await printedSnippets(model, endpoint, api), 'python'));
      const file = join(dir, `${endpoint}_${api}_${model.replace(/[^a-z0-9]/gi, '_')}.py`);
      await writeFile(file, code);
      const runnable = code.includes('import boto3') && (await pythonHas('boto3'));

      // Act
      const out = runnable
        ? (await run('python3', [file], { env: childEnv(), timeout: 30_000 })).stdout
        : (await run('python3', ['-m', 'py_compile', file])).stdout;

      // Assess
      if (runnable) expect(out.trim().length).toBeGreaterThan(0);
      else expect(out).toBe('');
    },
  );
});

describe('the curl lines of the HTML report work as pasted', () => {
  it('every recipe in the report reaches the simulator and gets an answer', async () => {
    // Prepare
    const html = await runCli(argv`report --in ${reportFile} --format html`);
    expect(html.code, html.stderr).toBe(0);
    const curls = [...html.stdout.matchAll(/<pre class="recipe">([\s\S]*?)<\/pre>/g)].map((m) =>
      (m[1] ?? '')
        .replaceAll('&quot;', '"')
        .replaceAll('&#39;', "'")
        .replaceAll('&lt;', '<')
        .replaceAll('&gt;', '>')
        .replaceAll('&amp;', '&'),
    );
    const distinct = [...new Set(curls)];
    expect(distinct.length).toBeGreaterThan(5);

    // Act
    const bodies = await Promise.all(distinct.map((c) => runShell(c) as Promise<Record<string, unknown>>));

    // Assess: each answer is one of the apis' success shapes
    for (const body of bodies)
      expect(Object.keys(body).some((k) => Object.values(ANSWER_KEY).includes(k))).toBe(true);
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
