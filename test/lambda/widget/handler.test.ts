import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbStore } from '../../../lambda/adapters/store';
import { createWidgetHandler } from '../../../lambda/widget/handler';
import { launchChromium } from '../../support/chromium';
import { type DynamoDbLocal, localClient, sharedDynamoDbLocal } from '../../support/dynamodb-local';
import { ACCOUNT } from '../../support/prober-harness';
import { FINISHED_AT, HOSTILE_MODEL, RUN_ID, type Seeded, seedStore } from './seed';

// The dashboard widget reads the regions' stored state and returns HTML: the rollout over every
// region, one region's matrix, or the changes. It must show every cell, escape stored text, name
// the last run and the last changes, and stay calm on an empty table or a table it cannot read.

const REGION = 'eu-west-1';
/** A second probed region, seeded small in the same table: the rollout's other column. */
const OTHER = 'us-west-2';
const OTHER_MODELS = 4;
const NOW = new Date('2026-12-01T19:00:00.000Z');
const DOCS = resolve(import.meta.dirname, '../../../docs');
let dynamo: DynamoDbLocal;
let seeded: Seeded;
let other: Seeded;
let matrixHtml: string;
let changesHtml: string;

const handlerFor = (table: string, regions: readonly string[] = [REGION]) =>
  createWidgetHandler({
    store: new DynamoDbStore({ client: localClient(dynamo.endpoint), tableName: table }),
    account: ACCOUNT,
    regions,
    now: () => NOW,
  });

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

beforeAll(async () => {
  // Prepare: a table holding a finished run of a realistic matrix (60 models).
  dynamo = await sharedDynamoDbLocal();
  const store = new DynamoDbStore({ client: localClient(dynamo.endpoint), tableName: 'widget-full' });
  await store.ensureTable();
  seeded = await seedStore(store, { account: ACCOUNT, region: REGION }, 60);
  other = await seedStore(store, { account: ACCOUNT, region: OTHER }, OTHER_MODELS);
  await new DynamoDbStore({ client: localClient(dynamo.endpoint), tableName: 'widget-empty' }).ensureTable();

  // Act: the two widgets.
  const handler = handlerFor('widget-full');
  matrixHtml = await handler({
    view: 'matrix',
    region: REGION,
    widgetContext: { dashboardName: 'bedrock-matrix-eu-west-1' },
  });
  changesHtml = await handler({ view: 'changes' });
  // DynamoDB Local takes 5-30 s to answer on a busy two-core machine, and seeding ~1,500 items more.
}, 240_000);
afterAll(async () => {
  await dynamo?.stop();
});

describe('matrix widget against DynamoDB Local', () => {
  it('shows every basic cell of the stored matrix, one row per model', () => {
    // Assess
    const basic = seeded.cells.filter((c) => c.variant === 'basic');
    const matrix = matrixHtml.match(/<table class="matrix">[\s\S]*?<\/table>/)?.[0] ?? '';
    expect(matrix.match(/<td class="st-/g)).toHaveLength(basic.length);
    expect(matrixHtml.match(/<tr data-model=/g)).toHaveLength(60);
    expect(matrixHtml).toContain('Model (60)');
  });

  it('escapes stored text: a hostile model name stays text', () => {
    // Assess
    expect(matrixHtml).not.toContain('<img src=x');
    expect(matrixHtml).toContain('evil.&lt;img src=x onerror=alert(1)&gt;&amp;&quot;model');
  });

  it('names the last run and its time, and lists the last changes with from, to and when', () => {
    // Assess
    expect(matrixHtml).toContain(`Last run <b>${FINISHED_AT}</b>`);
    expect(matrixHtml).toContain(RUN_ID);
    expect(matrixHtml).toContain('56 min ago');
    expect(matrixHtml).toMatch(
      /<th scope="row">openai\.gpt-oss-120b<\/th><td>mantle\/responses basic<\/td><td class="st-unsupported">unsupported<\/td><td class="st-supported">supported<\/td>/,
    );
    expect(changesHtml).toContain('Confirmed changes in eu-west-1 (2)');
    expect(changesHtml).toContain('model appeared on mantle');
  });

  it('shows guardrail verdicts and feature marks', () => {
    // Assess
    expect(matrixHtml).toContain('<span class="gr-ignored">g!</span>');
    expect(matrixHtml).toContain('<span class="gr-enforced">G</span>');
    expect(matrixHtml).toContain('<span class="feat">ST</span>');
  });
});

describe('rollout widget over two regions stored in one table', () => {
  let rolloutHtml: string;
  beforeAll(async () => {
    // Act: the default view, over both regions
    rolloutHtml = await handlerFor('widget-full', [REGION, OTHER])({});
  }, 120_000);

  it("lists both regions' last runs, each with its own probe count", () => {
    // Assess
    expect(rolloutHtml).toContain('bedrock-matrix: 2 regions');
    for (const [region, cells] of [
      [REGION, seeded.cells.length],
      [OTHER, other.cells.length],
    ] as const) {
      expect(rolloutHtml).toMatch(
        new RegExp(
          `<tr><th scope="row">${escapeRegExp(region)}</th><td>${escapeRegExp(FINISHED_AT)} <span class="muted">56 min ago, sweep</span></td><td>completed</td><td>${cells}</td><td>2</td><td>never</td></tr>`,
        ),
      );
    }
    expect(seeded.cells.length).not.toBe(other.cells.length);
  });

  it("shows a model supported in one region only in that region's column", () => {
    // Prepare: a model of the big region, supported there, that the small region does not have
    const inOther = new Set(other.models.map((m) => m.key));
    const only = seeded.cells.find((c) => c.status === 'supported' && !inOther.has(c.model))?.model;
    const both = other.cells.find((c) => c.status === 'supported' && c.model !== HOSTILE_MODEL)?.model;
    expect(only).toBeDefined();
    expect(both).toBeDefined();

    // Assess: columns in region order (eu-west-1, us-west-2)
    const row = (model: string) =>
      rolloutHtml.match(new RegExp(`<tr><th scope="row">${escapeRegExp(model)}</th>.*?</tr>`))?.[0] ?? '';
    expect(rolloutHtml).toMatch(
      new RegExp(`<thead><tr><th>Model \\(\\d+\\)</th><th>${REGION}</th><th>${OTHER}</th></tr></thead>`),
    );
    expect(row(only ?? '')).toMatch(
      /^<tr><th scope="row">[^<]+<\/th><td class="st-supported">[^<]+<\/td><td class="muted">–<\/td><\/tr>$/,
    );
    expect(row(both ?? '')).toMatch(
      /^<tr><th scope="row">[^<]+<\/th><td class="st-supported">[^<]+<\/td><td class="st-supported">[^<]+<\/td><\/tr>$/,
    );
  });
});

describe('matrix widget on an unusual table', () => {
  it('answers an unknown region with the error page, reading nothing', async () => {
    // Act
    const html = await handlerFor('no-such-table')({ view: 'matrix', region: 'ap-nowhere-9' });

    // Assess
    expect(html).toContain('bedrock-matrix ap-nowhere-9');
    expect(html).toContain('Cannot read the results table: no probed region &quot;ap-nowhere-9&quot;');
    expect(html).not.toContain('ResourceNotFoundException');
  });

  it('says no run is stored yet on an empty table', async () => {
    // Act
    const html = await handlerFor('widget-empty')({ view: 'matrix', region: REGION });

    // Assess
    expect(html).toContain('No run stored yet');
    expect(html).toContain('The store holds no confirmed cell for eu-west-1');
  });

  it('shows a readable message, not a thrown error, when the table cannot be read', async () => {
    // Act
    const html = await handlerFor('no-such-table')({ view: 'changes' });

    // Assess
    // The widget reads state, runs and the sentinel side by side: whichever Query fails first is named.
    expect(html).toMatch(
      /Cannot read the results table: DynamoDB Query on table no-such-table \((STATE|RUNS|SENTINEL)#123456789012#eu-west-1\) failed: ResourceNotFoundException/,
    );
  });

  it('describes itself when the console asks', async () => {
    // Act
    const text = await handlerFor('widget-empty')({ describe: true });

    // Assess
    expect(text).toContain('## bedrock-matrix widget');
  });
});

describe('matrix widget in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders the cells visibly with no console error, and the screenshot is kept for the README', async () => {
    // Prepare
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.route('**/*', (route) => route.abort());

    // Act
    await page.setContent(`<!doctype html><meta charset="utf-8"><body>${matrixHtml}</body>`);
    const visibleCells = await page.locator('table.matrix td[class^="st-"]:visible').count();
    const hostile = await page.locator('tr[data-model^="evil."] th').textContent();
    mkdirSync(DOCS, { recursive: true });
    await page.screenshot({ path: join(DOCS, 'widget-matrix.png'), fullPage: false });

    // Assess
    expect(visibleCells).toBe(seeded.cells.filter((c) => c.variant === 'basic').length);
    expect(hostile).toContain(HOSTILE_MODEL);
    expect(await page.evaluate(() => document.querySelectorAll('img').length)).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});
