import { describe, expect, it } from 'vitest';
import type { OrgAccount, OrgCell } from '../../../../lambda/core/org/types';
import { orgMatrixView, orgMemberView, orgModelView } from '../../../../lambda/core/org/view';
import {
  renderOrgMatrixWidget,
  renderOrgMemberWidget,
  renderOrgModelWidget,
  renderOrgWidgetNotice,
} from '../../../../lambda/core/render/org-widget';
import {
  ACCOUNTS,
  CELLS,
  GOVERNED,
  GPT_OSS,
  MEMBERS,
  NOT_AUTHORIZED,
  NOVA_LITE,
  NOVA_MICRO,
  NOW,
  orgCell,
  REGIONS,
  SONNET,
  STALE_AFTER_MS,
  STALE_EVENT,
} from '../org/org-fixture';

const matrixHtml = (cells: readonly OrgCell[] = CELLS, accounts: readonly OrgAccount[] = ACCOUNTS) =>
  renderOrgMatrixWidget(
    orgMatrixView({
      cells,
      members: MEMBERS,
      accounts,
      regions: REGIONS,
      now: NOW,
      staleAfterMs: STALE_AFTER_MS,
    }),
    { now: NOW },
  );
const modelHtml = (model: string) =>
  renderOrgModelWidget(orgModelView(model, { cells: CELLS, accounts: ACCOUNTS, regions: REGIONS }), {
    now: NOW,
  });

/** The `<td>` of a model's row in a region: its class, title and text. */
const square = (html: string, model: string, region: string) => {
  const row =
    new RegExp(`<tr data-model="${model.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}">(.*?)</tr>`).exec(
      html,
    )?.[1] ?? '';
  const m = new RegExp(`<td class="([^"]*)" data-region="${region}"(?: title="([^"]*)")?>([^<]*)</td>`).exec(
    row,
  );
  return { cls: m?.[1], title: m?.[2], text: m?.[3] };
};

/** The cells of the model widget's row for one region and account, as text with their class. */
const modelRow = (html: string, region: string, account: string): string[] => {
  const row =
    new RegExp(`<tr data-region="${region}" data-account="${account}">(.*?)</tr>`).exec(html)?.[1] ?? '';
  return [...row.matchAll(/<t[dh]([^>]*)>([^<]*)<\/t[dh]>/g)].map((m) => {
    const cls = /class="([^"]*)"/.exec(m[1] ?? '')?.[1];
    return cls ? `${m[2]} [${cls}]` : (m[2] ?? '');
  });
};

describe('renderOrgMatrixWidget', () => {
  it('shows per square the usable / reporting accounts, coloured all, some or none, and - where none reported', () => {
    // Act
    const html = matrixHtml();

    // Assess
    expect(html).toContain('Organization: 4 models, 3 accounts, 2 regions');
    expect(square(html, SONNET, 'eu-west-1')).toMatchObject({ cls: 'org-some', text: '2/3' });
    expect(square(html, NOVA_MICRO, 'us-east-1')).toMatchObject({ cls: 'org-all', text: '3/3' });
    expect(square(html, NOVA_MICRO, 'eu-west-1')).toMatchObject({ cls: 'org-none', text: '0/3' });
    expect(square(html, NOVA_LITE, 'eu-west-1')).toMatchObject({ cls: 'muted', text: '-' });
  });

  it('says why the others cannot on the square and in a list, naming the accounts', () => {
    // Act
    const html = matrixHtml();

    // Assess
    expect(square(html, GPT_OSS, 'us-east-1').title).toBe('1 denied (333333333333 Governed)');
    expect(html).toContain(`<li>eu-west-1 ${SONNET}: 1 no-access (222222222222 Sandbox)</li>`);
  });

  it('lists the stale member with its last event, or says every member reported', () => {
    // Act
    const html = matrixHtml();
    const fresh = renderOrgMatrixWidget(
      orgMatrixView({
        cells: CELLS,
        members: [],
        accounts: ACCOUNTS,
        regions: REGIONS,
        now: NOW,
        staleAfterMs: STALE_AFTER_MS,
      }),
      { now: NOW },
    );

    // Assess
    expect(html).toContain('Stale members (1)');
    expect(html).toContain(`333333333333 Governed eu-west-1 (member): last event ${STALE_EVENT} (3 h ago)`);
    expect(fresh).toContain('Every member reported within the stale threshold.');
  });

  it('escapes stored names and shows control characters', () => {
    // Prepare
    const evil = 'evil.<img src=x onerror=alert(1)>"\u001b[2J';
    const cells = [orgCell(evil, 'us-east-1', '444444444444', 'denied', { reason: 'x' })];

    // Act
    const html = matrixHtml(cells, [{ id: '444444444444', name: '<script>alert(1)</script>', ou: null }]);

    // Assess
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('\u001b');
    expect(html).toContain('evil.&lt;img src=x onerror=alert(1)&gt;&quot;␛[2J');
    expect(html).toContain('444444444444 &lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('renderOrgModelWidget', () => {
  it('has a row per region x account with its OU, the access of the model and of each api, guardrails and age', () => {
    // Act
    const html = modelHtml(SONNET);

    // Assess
    expect(html).toContain(`Organization: ${SONNET} reported by 3 accounts in 2 regions`);
    expect(modelRow(html, 'eu-west-1', '333333333333')).toEqual([
      'eu-west-1',
      '333333333333 Governed',
      'Workloads [muted]',
      'usable [acc-usable]',
      'usable [acc-usable]',
      'usable [acc-usable]',
      'not-offered [acc-not-offered]',
      'gr-user:1',
      '5 min ago',
    ]);
    expect(modelRow(html, 'us-east-1', '222222222222').slice(3, 7)).toEqual([
      'no-access [acc-no-access]',
      'no-access [acc-no-access]',
      'no-access [acc-no-access]',
      'no-access [acc-no-access]',
    ]);
  });

  it('gives the reason for anything not usable in the cell title and in the list, and none for usable cells', () => {
    // Act
    const html = modelHtml(GPT_OSS);
    const sonnet = modelHtml(SONNET);

    // Assess
    expect(html).toMatch(
      /<td class="acc-denied" title="AccessDeniedException: [^"]*explicit deny in a service control policy">denied<\/td>/,
    );
    expect(html).not.toMatch(/<li>[^<]*(Platform|Sandbox)/);
    expect(html).toMatch(
      /<li>eu-west-1 333333333333 Governed: denied: AccessDeniedException: .* \(the model and every api; the account&#39;s own probe\)<\/li>/,
    );
    expect(sonnet).toContain(
      `<li>us-east-1 222222222222 Sandbox: no-access: ${NOT_AUTHORIZED} (the model and every api; account fact)</li>`,
    );
  });

  it('says so for a model no account reported', () => {
    // Act
    const html = modelHtml('meta.llama-unknown');

    // Assess
    expect(html).toContain('No account has reported meta.llama-unknown.');
  });
});

const ARN = 'arn:aws:lambda:us-east-1:999999999999:function:widget';

describe('renderOrgMemberWidget', () => {
  const memberHtml = (cells: readonly OrgCell[] = CELLS, accounts: readonly OrgAccount[] = ACCOUNTS) =>
    renderOrgMemberWidget(orgMemberView(GOVERNED, 'eu-west-1', { cells, accounts, members: MEMBERS }), {
      now: NOW,
    });
  /** The cells of the member widget's row of one model, as text with their class. */
  const memberRow = (html: string, model: string): string[] => {
    const row =
      new RegExp(`<tr data-model="${model.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}">(.*?)</tr>`).exec(
        html,
      )?.[1] ?? '';
    return [...row.matchAll(/<t[dh]([^>]*)>([^<]*)<\/t[dh]>/g)].map((m) => {
      const cls = /class="([^"]*)"/.exec(m[1] ?? '')?.[1];
      return cls ? `${m[2]} [${cls}]` : (m[2] ?? '');
    });
  };

  it("has the member's name, OU and last event, then a row per model with its access, each api, guardrails and age", () => {
    // Act
    const html = memberHtml();

    // Assess
    expect(html).toContain('Member 333333333333 Governed (OU Workloads) in eu-west-1: 3 models, 1 usable');
    expect(html).toContain(`member (account facts only): last event ${STALE_EVENT} (3 h ago)`);
    expect(memberRow(html, GPT_OSS)).toEqual([
      GPT_OSS,
      'denied [acc-denied]',
      'denied [acc-denied]',
      '- [muted]',
      'denied [acc-denied]',
      'denied [acc-denied]',
      'denied [acc-denied]',
      '- [muted]',
      'gr-user:1',
      '5 min ago',
    ]);
    expect(html).toContain(
      `<li>${SONNET}: not-offered: not-found on mantle (mantle/messages; region fact)</li>`,
    );
    expect(html).not.toContain('<cwdb-action');
  });

  it('says so for a member that reported nothing', () => {
    // Act
    const html = renderOrgMemberWidget(
      orgMemberView('444444444444', 'eu-west-1', { cells: CELLS, accounts: ACCOUNTS, members: MEMBERS }),
      { now: NOW, endpoint: ARN },
    );

    // Assess
    expect(html).toContain('the home has received no event from this member');
    expect(html).toContain('No model reported by 444444444444 in eu-west-1.');
    expect(html).toContain('{"view":"org"}</cwdb-action>');
  });

  it('escapes stored names, model keys and reasons and shows control characters', () => {
    // Prepare
    const evil = 'evil.<img src=x onerror=alert(1)>"\u001b[2J';
    const cells = [orgCell(evil, 'eu-west-1', GOVERNED, 'denied', { reason: '<script>x</script>' })];

    // Act
    const html = memberHtml(cells, [
      { id: GOVERNED, name: '<script>alert(1)</script>', ou: { id: 'ou-x', name: '<b>ou</b>' } },
    ]);

    // Assess
    expect(html).not.toMatch(/<(img|script|b)[ >]/);
    expect(html).not.toContain('\u001b');
    expect(html).toContain('evil.&lt;img src=x onerror=alert(1)&gt;&quot;␛[2J');
    expect(html).toContain('333333333333 &lt;script&gt;alert(1)&lt;/script&gt; (OU &lt;b&gt;ou&lt;/b&gt;)');
  });
});

describe('renderOrgMatrixWidget: members', () => {
  it('lists every member by account and region, marks the stale one, and buttons only ids the view accepts', () => {
    // Prepare: a member record whose account is not an account id (it cannot be opened).
    const odd = {
      account: '<b>x</b>',
      region: 'us-east-1',
      role: 'member' as const,
      lastEvent: STALE_EVENT,
      lastEventId: 'x',
    };
    const members = [...MEMBERS, odd];

    // Act
    const html = renderOrgMatrixWidget(
      orgMatrixView({
        cells: CELLS,
        members,
        accounts: ACCOUNTS,
        regions: REGIONS,
        now: NOW,
        staleAfterMs: STALE_AFTER_MS,
      }),
      { now: NOW, members, staleAfterMs: STALE_AFTER_MS, endpoint: ARN },
    );

    // Assess
    const row = /<tr data-account="333333333333">(.*?)<\/tr>/.exec(html)?.[1] ?? '';
    expect(row).toMatch(
      /^<th scope="row">333333333333 Governed<\/th><td title="[^"]*">.*5 min ago<\/td><td class="warn" title="[^"]*">.*3 h ago<\/td>$/,
    );
    expect(row).toContain(
      `endpoint="${ARN}">{"view":"org-member","account":"333333333333","region":"eu-west-1"}</cwdb-action>`,
    );
    expect(html).toContain(
      '111111111111 Platform</th><td title="111111111111 Platform us-east-1 (probe): last event 2026-12-01T11:55:00.000Z"><a class="btn">open</a>',
    );
    const oddRow = /<tr data-account="&lt;b&gt;x&lt;\/b&gt;">(.*?)<\/tr>/.exec(html)?.[1] ?? '';
    expect(oddRow).toContain('3 h ago');
    expect(oddRow).not.toContain('<cwdb-action');
    expect(html).not.toContain('<b>x</b>');
  });
});

describe('renderOrgWidgetNotice', () => {
  it('shows one escaped line', () => {
    // Act
    const html = renderOrgWidgetNotice('bedrock-matrix organization', 'no <model>\u001b');

    // Assess
    expect(html).toContain('<p class="warn">no &lt;model&gt;␛</p>');
  });
});
