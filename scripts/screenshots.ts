/**
 * `npm run screenshots`: retakes the README's two screenshots from the demo world, never from test
 * fixtures. Like `demo --drift`: the May 2026 surface probed into DynamoDB Local as the baseline,
 * then today's surface probed on top of it (confirmed changes and all), through the CLI itself.
 * Then headless Chromium shows
 *   docs/report-html.png   today's HTML report, filtered to gpt-oss, a mantle/chat cell opened on its recipe;
 *   docs/widget-matrix.png the dashboard's matrix widget rendered from that store.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { startDynamoDbLocal } from '../cli/dynamodb-local';
import { main } from '../cli/main';
import { openStore } from '../cli/store';
import { renderMatrixWidget } from '../lambda/core/render/widget';
import { readStoredRegion } from '../lambda/core/stored-report';
import { ENDPOINT_OVERRIDE_ENV } from '../lambda/shared/names';
import { loadScenario } from '../simulator/scenario';
import { startSimulator } from '../simulator/server';

const REGION = 'us-east-1';
const TABLE = 'screenshots';
const DOCS = new URL('../docs/', import.meta.url);

/** The CLI in-process, failing loudly: a screenshot of a failed run is worse than none. */
async function cli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  let stderr = '';
  const code = await main(args, {
    stdout: { write: () => true, isTTY: false },
    stderr: {
      write: (s: string) => {
        stderr += s;
        return true;
      },
      isTTY: false,
    },
    env,
  });
  if (code !== 0) throw new Error(`bedrock-matrix ${args.join(' ')} exited ${code}: ${stderr}`);
}

const [may, today] = await Promise.all([loadScenario('may-2026'), loadScenario('today')]);
const guardrail = today.guardrails[0];
if (!guardrail) throw new Error('the today scenario has no guardrail');
const [sim, dynamo] = await Promise.all([startSimulator({ scenario: may }), startDynamoDbLocal()]);
const dir = await mkdtemp(join(tmpdir(), 'bedrock-matrix-shots-'));
try {
  const env = {
    PATH: process.env.PATH,
    [ENDPOINT_OVERRIDE_ENV.runtime]: sim.urls.runtime,
    [ENDPOINT_OVERRIDE_ENV.mantle]: sim.urls.mantle,
    [ENDPOINT_OVERRIDE_ENV.control]: sim.urls.control,
    [ENDPOINT_OVERRIDE_ENV.dynamodb]: dynamo.endpoint,
  };
  const probe = ['probe', '--region', REGION, '--store', 'dynamodb', '--table', TABLE, '--quiet'];
  const withGuardrail = ['--guardrail-id', guardrail.id, '--guardrail-version', guardrail.versions[0] ?? '1'];
  await cli([...probe, ...withGuardrail, '--format', 'json'], env);
  sim.setScenario(today);
  const reportFile = join(dir, 'report.html');
  await cli([...probe, ...withGuardrail, '--format', 'html', '--out', reportFile], env);

  // The CLI's own store opening: the same local credentials, so DynamoDB Local shows the same tables.
  const store = await openStore(env, REGION, TABLE, { create: false });
  const widget = renderMatrixWidget(
    await readStoredRegion(store, { account: await store.account(), region: REGION }),
  );

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(pathToFileURL(reportFile).href);
    await page.fill('#filter', 'gpt-oss');
    await page.click(
      `tr[data-model*="openai.gpt-oss-120b"] summary[aria-label="mantle/chat: supported"] >> nth=0`,
    );
    await page.screenshot({ path: new URL('report-html.png', DOCS).pathname });

    const widgetPage = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    await widgetPage.setContent(widget);
    await widgetPage.screenshot({ path: new URL('widget-matrix.png', DOCS).pathname });
  } finally {
    await browser.close();
  }
  process.stdout.write('wrote docs/report-html.png and docs/widget-matrix.png\n');
} finally {
  await Promise.all([sim.close(), dynamo.stop()]);
  await rm(dir, { recursive: true, force: true });
}
