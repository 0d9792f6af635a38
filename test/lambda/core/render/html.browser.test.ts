/** Opens the HTML report in a real Chromium (test/support/chromium.ts) and uses it the way a reader would. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderHtml } from '../../../../lambda/core/render/html';
import { renderRegionView } from '../../../../lambda/core/render/regions';
import { CHROMIUM, CHROMIUM_MISSING, launchChromium } from '../../../support/chromium';
import { basicCell, buildSampleReport } from '../../../support/sample-report';

const SCREENSHOT = '/tmp/bedrock-matrix-report.png';
const HOSTILE = '<script>window.__pwned = true</script>';

let browser: Browser;
let page: Page;
let dir: string;
let url: string;
let problems: string[];
let requests: string[];

const visibleRows = (region: string): Promise<string[]> =>
  page
    .locator(`section[data-region="${region}"] tbody tr:visible th[scope="row"]`)
    .evaluateAll((ths) => ths.map((th) => th.childNodes[0]?.textContent ?? ''));

beforeAll(async () => {
  expect(existsSync(CHROMIUM), CHROMIUM_MISSING).toBe(true);
  const base = buildSampleReport();
  const report = {
    ...base,
    models: [...base.models, { key: HOSTILE, provider: 'evil', ids: { mantle: 'evil-id' }, sources: [] }],
    cells: [
      ...base.cells,
      basicCell('us-west-2', HOSTILE, 'mantle', 'chat', 'not-found', { httpStatus: 404 }),
    ],
  };
  dir = mkdtempSync(join(tmpdir(), 'bedrock-matrix-html-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, renderHtml(report));
  url = pathToFileURL(file).href;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  problems = [];
  requests = [];
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('request', (req) => {
    if (!req.url().startsWith('file:')) requests.push(req.url());
  });
  await page.goto(url);
});

afterEach(async () => {
  await page?.close();
});

describe('the HTML report in Chromium', () => {
  it('renders one table per region with a row per model, no console error and no network request', async () => {
    // Prepare: the page is loaded by beforeEach

    // Act
    const east = await visibleRows('us-east-1');
    const west = await visibleRows('us-west-2');
    await page.screenshot({ path: SCREENSHOT, fullPage: false });

    // Assess
    expect(east).toHaveLength(43);
    expect(west).toHaveLength(6);
    expect(west).toContain(HOSTILE);
    expect(await page.evaluate(() => (window as { __pwned?: boolean }).__pwned)).toBeUndefined();
    expect(await page.locator('.badge.sim').textContent()).toBe('SIMULATED');
    expect(await page.locator('section[data-region="us-east-1"] .shown').textContent()).toBe('43');
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('hides models that do not match what is typed in the filter box', async () => {
    // Prepare
    const filter = page.locator('#filter');

    // Act
    await filter.fill('gpt-oss');
    const east = await visibleRows('us-east-1');
    const west = await visibleRows('us-west-2');
    const shown = await page.locator('section[data-region="us-east-1"] .shown').textContent();
    await filter.fill('OPENAI.GPT-OSS-120B-1:0');
    const byRuntimeId = await visibleRows('us-east-1');
    await filter.fill('');
    const cleared = await visibleRows('us-east-1');

    // Assess
    expect(east).toEqual([
      'openai.gpt-oss-120b',
      'openai.gpt-oss-20b',
      'openai.gpt-oss-safeguard-120b',
      'openai.gpt-oss-safeguard-20b',
    ]);
    expect(west).toEqual(['openai.gpt-oss-120b', 'openai.gpt-oss-20b']);
    expect(shown).toBe('4');
    expect(byRuntimeId).toEqual(['openai.gpt-oss-120b']);
    expect(cleared).toHaveLength(43);
    expect(problems).toEqual([]);
  });

  it('hides cells of an unticked status, and rows left with no visible cell', async () => {
    // Prepare
    const notFoundCell = page.locator(
      'section[data-region="us-east-1"] tr[data-model^="anthropic.claude-sonnet-4-6"] td[data-col="mantle/chat"]',
    );
    const before = await notFoundCell.isVisible();

    // Act
    await page.locator('input[data-status-toggle="not-found"]').uncheck();
    const afterOne = await notFoundCell.isVisible();
    const rowsAfterOne = await visibleRows('us-east-1');
    for (const s of ['supported', 'unsupported', 'throttled', 'error', 'skipped'])
      await page.locator(`input[data-status-toggle="${s}"]`).uncheck();
    const eastNoAccess = await visibleRows('us-east-1');
    const westNoAccess = await visibleRows('us-west-2');

    // Assess
    expect(before).toBe(true);
    expect(afterOne).toBe(false);
    expect(rowsAfterOne).toHaveLength(43);
    expect(eastNoAccess).toEqual(['writer.palmyra-x5']);
    expect(westNoAccess).toEqual(['anthropic.claude-sonnet-4-6']);
    expect(problems).toEqual([]);
  });

  it('hides an endpoint/api column when its box is unticked and narrows the endpoint header', async () => {
    // Prepare
    const header = page.locator('section[data-region="us-east-1"] thead th[data-col="mantle/chat"]');
    const group = page.locator('section[data-region="us-east-1"] th[data-group="mantle"]');

    // Act
    await page.locator('input[data-col-toggle="mantle/chat"]').uncheck();

    // Assess
    expect(await header.isVisible()).toBe(false);
    expect(await group.getAttribute('colspan')).toBe('2');
    expect(
      await page.locator('section[data-region="us-east-1"] td[data-col="mantle/chat"]:visible').count(),
    ).toBe(0);
    expect(problems).toEqual([]);
  });

  it('shows a cell evidence when the cell is opened', async () => {
    // Prepare
    const cell = page.locator(
      'section[data-region="us-east-1"] tr[data-model^="qwen.qwen3-32b "] td[data-col="mantle/responses"]',
    );

    // Act
    await cell.locator('summary').click();
    const detail = cell.locator('dl.ev');
    await page.screenshot({ path: SCREENSHOT.replace('.png', '-evidence.png') });

    // Assess
    expect(await detail.isVisible()).toBe(true);
    expect(await detail.textContent()).toContain("does not support the '/v1/responses' API");
    expect(await detail.textContent()).toContain('HTTP 400');
    expect(problems).toEqual([]);
  });
});

describe('the across-regions page in Chromium', () => {
  it('shows a table per endpoint/api with a column per region, no console error and no network request', async () => {
    // Prepare
    const file = join(dir, 'regions.html');
    const base = buildSampleReport();
    writeFileSync(
      file,
      renderRegionView(
        { ...base, cells: [...base.cells, basicCell('us-west-2', HOSTILE, 'mantle', 'chat', 'supported')] },
        'html',
      ),
    );

    // Act
    await page.goto(pathToFileURL(file).href);
    const chat = page.locator('section.block', { hasText: 'mantle/chat' });
    const heads = await chat.locator('thead th').allTextContents();
    const rows = await chat.locator('tbody tr').count();

    // Assess
    expect(heads).toEqual(['Model', 'us-east-1', 'us-west-2', 'Regions']);
    // The 43 models with a mantle/chat cell in us-east-1 (listed there or not), and the hostile one.
    expect(rows).toBe(44);
    expect(await chat.locator('tbody th', { hasText: HOSTILE }).count()).toBe(1);
    expect(await page.evaluate(() => (window as { __pwned?: boolean }).__pwned)).toBeUndefined();
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
  });
});
