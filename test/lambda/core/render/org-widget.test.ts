import { describe, expect, it } from 'vitest';
import type { OrgAccount, OrgCell } from '../../../../lambda/core/org/types';
import { orgMatrixView, orgModelView } from '../../../../lambda/core/org/view';
import {
  renderOrgMatrixWidget,
  renderOrgModelWidget,
  renderOrgWidgetNotice,
} from '../../../../lambda/core/render/org-widget';
import {
  ACCOUNTS,
  CELLS,
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

describe('renderOrgWidgetNotice', () => {
  it('shows one escaped line', () => {
    // Act
    const html = renderOrgWidgetNotice('bedrock-matrix organization', 'no <model>\u001b');

    // Assess
    expect(html).toContain('<p class="warn">no &lt;model&gt;␛</p>');
  });
});
