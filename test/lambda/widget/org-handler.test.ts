import { describe, expect, it } from 'vitest';
import type { OrgReader } from '../../../lambda/core/org/ports';
import type { StoreReader } from '../../../lambda/core/ports';
import { createWidgetHandler, WIDGET_DESCRIPTION } from '../../../lambda/widget/handler';
import {
  ACCOUNTS,
  CELLS,
  GOVERNED,
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
    orgCellsOfRegion: async (region, account) => {
      asked.push(`orgCellsOfRegion(${region}${account ? `, ${account}` : ''})`);
      if (fail) throw fail;
      return CELLS.filter((c) => c.region === region && (account === undefined || c.account === account));
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
    expect(text).toContain('`org-member` with `account` and `region`');
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

/** The ARN Lambda's context gives the function (`invokedFunctionArn`). */
const SELF = { invokedFunctionArn: 'arn:aws:lambda:us-east-1:999999999999:function:bedrock-matrix-widget' };

describe('widget view org-member', () => {
  it("reads the member's own cells only and shows every model it reported there, per api, with its last event", async () => {
    // Prepare
    const { reader, asked } = memoryReader();

    // Act
    const html = await handlerWith({ reader })(
      { view: 'org-member', account: GOVERNED, region: 'eu-west-1' },
      SELF,
    );

    // Assess
    expect(asked.sort()).toEqual(['members()', 'orgAccounts()', 'orgCellsOfRegion(eu-west-1, 333333333333)']);
    expect(html).toContain('Member 333333333333 Governed (OU Workloads) in eu-west-1: 3 models, 1 usable');
    expect(html).toContain(`member (account facts only): last event ${STALE_EVENT} (3 h ago)`);
    expect(html.match(/<tr data-model=/g)).toHaveLength(3);
    expect(html).toContain('explicit deny in a service control policy');
    expect(html).toContain(
      `<a class="btn">Back to the organization</a><cwdb-action action="call" display="widget" endpoint="${SELF.invokedFunctionArn}">{"view":"org"}</cwdb-action>`,
    );
  });

  it.each([
    [{}, 'org-member needs an account param of 12 digits, got null'],
    [
      { account: '12345', region: 'eu-west-1' },
      'org-member needs an account param of 12 digits, got &quot;12345&quot;',
    ],
    [
      { account: 123456789012, region: 'eu-west-1' },
      'org-member needs an account param of 12 digits, got 123456789012',
    ],
    [{ account: GOVERNED }, 'org-member needs a region param such as us-east-1, got null'],
    [
      { account: GOVERNED, region: 'eu-west-1"><b>' },
      'org-member needs a region param such as us-east-1, got &quot;eu-west-1\\&quot;&gt;&lt;b&gt;&quot;',
    ],
  ])('answers one clear line for the params %j and reads nothing', async (params, line) => {
    // Prepare
    const { reader, asked } = memoryReader();

    // Act
    const html = await handlerWith({ reader })({ view: 'org-member', ...(params as object) });

    // Assess
    expect(html).toContain(`<p class="warn">${line}</p>`);
    expect(html.match(/<p /g)).toHaveLength(1);
    expect(asked).toEqual([]);
  });

  it("shows the reader's failure as a readable line", async () => {
    // Prepare
    const { reader } = memoryReader(new Error('DynamoDB Query on bedrock-matrix timed out after 5000 ms'));

    // Act
    const html = await handlerWith({ reader })({
      view: 'org-member',
      account: GOVERNED,
      region: 'eu-west-1',
    });

    // Assess
    expect(html).toContain('Cannot read the organization&#39;s cells:');
  });
});

describe('widget view org: the members and their buttons', () => {
  it("gives every member a button that calls this function back with that member's view", async () => {
    // Prepare
    const { reader } = memoryReader();

    // Act
    const html = await handlerWith({ reader })({ view: 'org' }, SELF);

    // Assess
    expect(html).toContain('Members (6)');
    const calls = [
      ...html.matchAll(
        /<cwdb-action action="call" display="widget" endpoint="([^"]*)">([^<]*)<\/cwdb-action>/g,
      ),
    ];
    // Six members in the table, and the stale one again in its list.
    expect(calls).toHaveLength(7);
    expect(new Set(calls.map((c) => c[1]))).toEqual(new Set([SELF.invokedFunctionArn]));
    expect(calls.map((c) => JSON.parse(c[2] ?? ''))).toContainEqual({
      view: 'org-member',
      account: SANDBOX,
      region: 'us-east-1',
    });
    expect(html).toMatch(
      /<li class="warn">333333333333 Governed eu-west-1 \(member\)[^<]*<a class="btn">open its matrix<\/a><cwdb-action[^>]*>\{"view":"org-member","account":"333333333333","region":"eu-west-1"\}</,
    );
  });

  it('has no button when Lambda gave no function ARN', async () => {
    // Prepare
    const { reader } = memoryReader();

    // Act
    const html = await handlerWith({ reader })({ view: 'org' });

    // Assess
    expect(html).toContain('Members (6)');
    expect(html).not.toContain('<cwdb-action');
  });
});
