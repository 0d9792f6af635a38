import { describe, expect, it } from 'vitest';
import type { OrgReader } from '../../../lambda/core/org/ports';
import type { StoreReader } from '../../../lambda/core/ports';
import { createWidgetHandler, WIDGET_DESCRIPTION } from '../../../lambda/widget/handler';
import {
  ACCOUNTS,
  CELLS,
  GPT_OSS,
  MEMBERS,
  NOW,
  REGIONS,
  SANDBOX,
  SONNET,
  STALE_EVENT,
} from '../core/org/org-fixture';

// The organization's views read an OrgReader (a port): here a small in-memory one over the
// fixture. The region views' store is never read by them.

/** An OrgReader over the fixture that records what it was asked. */
const memoryReader = (fail?: Error) => {
  const asked: string[] = [];
  const reader: OrgReader = {
    orgCells: async (model) => {
      asked.push(`orgCells(${model ?? ''})`);
      if (fail) throw fail;
      return CELLS.filter((c) => model === undefined || c.model === model);
    },
    members: async () => {
      asked.push('members()');
      return [...MEMBERS];
    },
    orgAccounts: async () => {
      asked.push('orgAccounts()');
      return [...ACCOUNTS];
    },
  };
  return { reader, asked };
};

/** A region store that fails the test if an org view touches it. */
const untouchedStore = new Proxy({} as StoreReader, {
  get: (_t, name) => () => {
    throw new Error(`the org views must not read the results table (${String(name)})`);
  },
});

const handlerWith = (org?: { reader: OrgReader }) =>
  createWidgetHandler({
    store: untouchedStore,
    account: '999999999999',
    regions: [...REGIONS],
    now: () => NOW,
    ...(org ? { org } : {}),
  });

describe('widget view org', () => {
  it('shows the organization matrix with counts, reasons and the stale member', async () => {
    // Prepare
    const { reader, asked } = memoryReader();

    // Act
    const html = await handlerWith({ reader })({ view: 'org' });

    // Assess
    expect(asked.sort()).toEqual(['members()', 'orgAccounts()', 'orgCells()']);
    expect(html).toContain('Organization: 4 models, 3 accounts, 2 regions');
    expect(html).toMatch(
      new RegExp(
        `data-model="${SONNET}".*data-region="eu-west-1" title="1 no-access \\(222222222222 Sandbox\\)">2/3<`,
      ),
    );
    // The default threshold (memberStaleAfterMinutes, 65 min) finds the member silent for 3 hours.
    expect(html).toContain(`333333333333 Governed eu-west-1 (member): last event ${STALE_EVENT} (3 h ago)`);
  });

  it('answers one clear line on a home that is not an organization home', async () => {
    // Act
    const org = await handlerWith()({ view: 'org' });
    const model = await handlerWith()({ view: 'org-model', model: SONNET });

    // Assess
    for (const html of [org, model]) expect(html).toContain('<p class="warn">not an organization home</p>');
  });

  it("shows the reader's failure as a readable line, not a thrown error", async () => {
    // Prepare
    const { reader } = memoryReader(new Error('DynamoDB Query on bedrock-matrix timed out after 5000 ms'));

    // Act
    const html = await handlerWith({ reader })({ view: 'org' });

    // Assess
    expect(html).toContain('Cannot read the organization&#39;s cells:');
    expect(html).toContain('timed out after 5000 ms');
  });

  it('names the org views in its description', async () => {
    // Act
    const text = await handlerWith()({ describe: true });

    // Assess
    expect(text).toBe(WIDGET_DESCRIPTION);
    expect(text).toContain('`org-model` with `model`');
  });
});

describe('widget view org-model', () => {
  it("reads that model's cells only and shows every region x account with the reasons", async () => {
    // Prepare
    const { reader, asked } = memoryReader();

    // Act
    const html = await handlerWith({ reader })({ view: 'org-model', model: GPT_OSS });

    // Assess
    expect(asked).toContain(`orgCells(${GPT_OSS})`);
    expect(asked).not.toContain('members()');
    expect(html).toContain(`Organization: ${GPT_OSS} reported by 3 accounts in 2 regions`);
    expect(html.match(/<tr data-region=/g)).toHaveLength(6);
    expect(html).toContain(`data-account="${SANDBOX}"`);
    expect(html).toContain('explicit deny in a service control policy');
  });

  it('asks for the model param when it is missing or blank, reading nothing', async () => {
    // Prepare
    const { reader, asked } = memoryReader();

    // Act
    const missing = await handlerWith({ reader })({ view: 'org-model' });
    const blank = await handlerWith({ reader })({ view: 'org-model', model: '  ' });

    // Assess
    expect(missing).toContain('org-model needs a model param, got null');
    expect(blank).toContain('org-model needs a model param, got &quot;  &quot;');
    expect(asked).toEqual([]);
  });
});
