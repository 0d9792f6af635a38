import { describe, expect, it } from 'vitest';
import type { OrgAccount, OrgCell } from '../../../../lambda/core/org/types';
import { orgMatrixView, orgModelView } from '../../../../lambda/core/org/view';
import { renderOrgMatrix, renderOrgModel } from '../../../../lambda/core/render/org';
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
import { mdCells, textRow, textSection } from './org-text';

const matrix = (cells: readonly OrgCell[] = CELLS, accounts: readonly OrgAccount[] = ACCOUNTS) =>
  orgMatrixView({
    cells,
    members: MEMBERS,
    accounts,
    regions: REGIONS,
    now: NOW,
    staleAfterMs: STALE_AFTER_MS,
  });
const model = (key: string, cells: readonly OrgCell[] = CELLS) =>
  orgModelView(key, { cells, accounts: ACCOUNTS, regions: REGIONS });

describe('renderOrgMatrix as text', () => {
  it('shows per model and region how many of the accounts that reported it can use it, - where none did', () => {
    // Act
    const text = renderOrgMatrix(matrix(), 'text');

    // Assess
    expect(text.split('\n')[0]).toBe('Organization: 4 models, 3 accounts, 2 regions');
    expect(textRow(text, 'model')).toEqual(['model', 'us-east-1', 'eu-west-1']);
    expect(textRow(text, SONNET)).toEqual([SONNET, '2/3', '2/3']);
    expect(textRow(text, GPT_OSS)).toEqual([GPT_OSS, '2/3', '2/3']);
    expect(textRow(text, NOVA_MICRO)).toEqual([NOVA_MICRO, '3/3', '0/3']);
    expect(textRow(text, NOVA_LITE)).toEqual([NOVA_LITE, '3/3', '-']);
  });

  it('says per square why the others cannot, naming the accounts by id and Organizations name', () => {
    // Act
    const why = textSection(renderOrgMatrix(matrix(), 'text'), 'Why not usable');

    // Assess
    expect(why).toEqual([
      `us-east-1 ${SONNET}: 1 no-access (222222222222 Sandbox)`,
      `us-east-1 ${GPT_OSS}: 1 denied (333333333333 Governed)`,
      `eu-west-1 ${NOVA_MICRO}: 3 not-offered (111111111111 Platform, 222222222222 Sandbox, 333333333333 Governed)`,
      `eu-west-1 ${SONNET}: 1 no-access (222222222222 Sandbox)`,
      `eu-west-1 ${GPT_OSS}: 1 denied (333333333333 Governed)`,
    ]);
  });

  it('lists the stale members with their last event and how long ago it was', () => {
    // Act
    const text = renderOrgMatrix(matrix(), 'text', { now: NOW });

    // Assess
    expect(textSection(text, 'Stale members (1)')).toEqual([
      `333333333333 Governed eu-west-1 (member): last event ${STALE_EVENT} (3 h ago)`,
    ]);
  });

  it('lists every reason of a square on its line, in the order of the access words', () => {
    // Prepare: Sonnet in eu-west-1 also denied to Governed.
    const cells = CELLS.map((c) =>
      c.model === SONNET && c.region === 'eu-west-1' && c.account === GOVERNED
        ? orgCell(SONNET, 'eu-west-1', GOVERNED, 'denied', {
            reason: 'explicit deny in an identity-based policy',
          })
        : c,
    );

    // Act
    const why = textSection(renderOrgMatrix(matrix(cells), 'text'), 'Why not usable');

    // Assess
    expect(why).toContain(
      `eu-west-1 ${SONNET}: 1 no-access (222222222222 Sandbox), 1 denied (333333333333 Governed)`,
    );
  });

  it('names at most five accounts per reason, then says how many more', () => {
    // Prepare: eight accounts without access to Sonnet in us-east-1.
    const ids = Array.from({ length: 8 }, (_, i) => `5000000000${String(i).padStart(2, '0')}`);
    const cells = ids.map((id) => orgCell(SONNET, 'us-east-1', id, 'no-access', { reason: NOT_AUTHORIZED }));

    // Act
    const why = textSection(renderOrgMatrix(matrix(cells, []), 'text'), 'Why not usable');

    // Assess
    expect(why).toEqual([
      `us-east-1 ${SONNET}: 8 no-access (500000000000, 500000000001, 500000000002, 500000000003, 500000000004 and 3 more)`,
    ]);
  });

  it('explains every access word and the count in its legend', () => {
    // Act
    const legend = textSection(renderOrgMatrix(matrix(), 'text'), 'Legend');

    // Assess
    expect(legend[0]).toContain('N/M = N of the M accounts');
    expect(legend.map((l) => l.split(':')[0])).toEqual(
      expect.arrayContaining(['usable', 'no-access', 'denied', 'not-offered', 'broken', 'unknown']),
    );
  });

  it('says so when no account has reported yet', () => {
    // Act
    const text = renderOrgMatrix(matrix([]), 'text');

    // Assess
    expect(text).toContain('No account has reported a model yet.');
  });
});

describe('renderOrgMatrix as Markdown and JSON', () => {
  it('writes the counts as a table and the reasons and stale members as lists', () => {
    // Act
    const md = renderOrgMatrix(matrix(), 'markdown', { now: NOW });

    // Assess
    const lines = md.split('\n');
    expect(lines[0]).toBe('# Organization: 4 models, 3 accounts, 2 regions');
    expect(mdCells(lines.find((l) => l.startsWith(`| ${SONNET} `)) ?? '')).toEqual([SONNET, '2/3', '2/3']);
    expect(mdCells(lines.find((l) => l.startsWith(`| ${NOVA_LITE} `)) ?? '')).toEqual([
      NOVA_LITE,
      '3/3',
      '-',
    ]);
    expect(lines).toContain(`- eu-west-1 ${SONNET}: 1 no-access (222222222222 Sandbox)`);
    expect(lines).toContain('## Stale members (1)');
    expect(lines).toContain(
      `- 333333333333 Governed eu-west-1 (member): last event ${STALE_EVENT} (3 h ago)`,
    );
  });

  it('keeps hostile names and reasons inert: pipes and HTML escaped, control characters shown, secrets scrubbed', () => {
    // Prepare: an account name and a model key from outside, a reason quoting a token.
    const evil = 'evil|<img src=x>\u001b[2J';
    const cells = [
      orgCell(evil, 'us-east-1', '444444444444', 'broken', {
        reason: 'HTTP 500 Authorization: Bearer abcdefghijklmnop1234',
      }),
    ];
    const accounts = [{ id: '444444444444', name: 'Team|<b>x</b>', ou: null }];

    // Act
    const md = renderOrgMatrix(matrix(cells, accounts), 'markdown');
    const text = renderOrgMatrix(matrix(cells, accounts), 'text');
    const modelText = renderOrgModel(orgModelView(evil, { cells, accounts, regions: REGIONS }), 'text');

    // Assess
    expect(md).toContain('evil\\|&lt;img src=x&gt;␛[2J');
    expect(md).toContain('444444444444 Team\\|&lt;b&gt;x&lt;/b&gt;');
    expect(md).not.toContain('<img');
    for (const out of [md, text, modelText]) expect(out).not.toContain('\u001b');
    expect(modelText).toContain('broken: HTTP 500 Authorization: [redacted]');
    expect(modelText).not.toContain('abcdefghijklmnop1234');
  });

  it('gives the view itself as JSON', () => {
    // Prepare
    const view = matrix();

    // Act
    const parsed = JSON.parse(renderOrgMatrix(view, 'json'));

    // Assess
    expect(parsed).toEqual(JSON.parse(JSON.stringify(view)));
  });
});

describe('renderOrgModel', () => {
  it('marks each api with its guardrail verdict as the region views do: G stops a request, g! does not', () => {
    // Prepare: Sonnet's converse in us-east-1: the guardrail stops requests for one account, not another
    const marked = CELLS.map((c) =>
      c.model === SONNET && c.region === 'us-east-1'
        ? {
            ...c,
            apis: c.apis.map((a) =>
              a.api === 'converse'
                ? { ...a, guardrail: c.account === GOVERNED ? ('ignored' as const) : ('enforced' as const) }
                : a,
            ),
          }
        : c,
    );

    // Act
    const text = renderOrgModel(model(SONNET, marked), 'text');

    // Assess
    const row = (account: string) =>
      text.split('\n').find((l) => l.startsWith('us-east-1') && l.includes(account));
    expect(row(GOVERNED)).toContain('usable g!');
    expect(row('111111111111')).toContain('usable G');
    // Not on an api the account cannot call: Sandbox has no access to Sonnet.
    expect(row('222222222222')).not.toMatch(/ G\b|g!/);
    expect(text).toMatch(/G = a guardrail stops a request on this api, g! = it does not/);
  });

  it('has one row per region x account with the model access, each api and the enforced guardrails', () => {
    // Act
    const text = renderOrgModel(model(SONNET), 'text');

    // Assess
    expect(text.split('\n')[0]).toBe(`Organization: ${SONNET} reported by 3 accounts in 2 regions`);
    expect(textRow(text, 'region')).toEqual([
      'region',
      'account',
      'access',
      'runtime/converse',
      'runtime/invoke',
      'mantle/messages',
      'enforced guardrails',
    ]);
    const rows = text.split('\n').filter((l) => /^(us-east-1|eu-west-1) /.test(l));
    expect(rows.map((r) => r.split('│').map((c) => c.trim()))).toEqual([
      ['us-east-1', '111111111111 Platform', 'usable', 'usable', 'usable', 'usable', 'none'],
      ['us-east-1', '222222222222 Sandbox', 'no-access', 'no-access', 'no-access', 'no-access', 'none'],
      ['us-east-1', '333333333333 Governed', 'usable', 'usable', 'usable', 'usable', 'gr-user:1'],
      ['eu-west-1', '111111111111 Platform', 'usable', 'usable', 'usable', 'not-offered', 'none'],
      ['eu-west-1', '222222222222 Sandbox', 'no-access', 'no-access', 'no-access', 'no-access', 'none'],
      ['eu-west-1', '333333333333 Governed', 'usable', 'usable', 'usable', 'not-offered', 'gr-user:1'],
    ]);
  });

  it('gives the reason for everything not usable, once per reason, with what it concerns and which fact said it', () => {
    // Act
    const why = textSection(renderOrgModel(model(SONNET), 'text'), 'Why not usable');

    // Assess
    expect(why).toEqual([
      `us-east-1 222222222222 Sandbox: no-access: ${NOT_AUTHORIZED} (the model and every api; account fact)`,
      'eu-west-1 111111111111 Platform: not-offered: not-found on mantle (mantle/messages; region fact)',
      `eu-west-1 222222222222 Sandbox: no-access: ${NOT_AUTHORIZED} (the model and every api; account fact)`,
      'eu-west-1 333333333333 Governed: not-offered: not-found on mantle (mantle/messages; region fact)',
    ]);
  });

  it('names the SCP deny of the governed account and the region that does not serve a model', () => {
    // Act
    const gpt = textSection(renderOrgModel(model(GPT_OSS), 'text'), 'Why not usable');
    const micro = textSection(renderOrgModel(model(NOVA_MICRO), 'text'), 'Why not usable');

    // Assess
    expect(gpt).toHaveLength(2);
    for (const line of gpt) {
      expect(line).toMatch(/^(us-east-1|eu-west-1) 333333333333 Governed: denied: /);
      expect(line).toContain(
        "explicit deny in a service control policy (the model and every api; the account's own probe)",
      );
    }
    expect(micro).toEqual(
      ['111111111111 Platform', '222222222222 Sandbox', '333333333333 Governed'].map(
        (a) =>
          `eu-west-1 ${a}: not-offered: the region does not serve it (the model and every api; region fact)`,
      ),
    );
  });

  it('writes the same rows and reasons in Markdown', () => {
    // Act
    const md = renderOrgModel(model(GPT_OSS), 'markdown');

    // Assess
    const lines = md.split('\n');
    expect(lines[0]).toBe(`# Organization: ${GPT_OSS} reported by 3 accounts in 2 regions`);
    expect(mdCells(lines.find((l) => l.startsWith('| us-east-1 | 333333333333 Governed')) ?? '')).toEqual([
      'us-east-1',
      '333333333333 Governed',
      'denied',
      'denied',
      'denied',
      'denied',
      'denied',
      'gr-user:1',
    ]);
    expect(lines.filter((l) => l.startsWith(`- eu-west-1 ${GOVERNED} Governed: denied: `))).toHaveLength(1);
  });

  it('says so for a model no account reported', () => {
    // Act
    const text = renderOrgModel(model('meta.llama-unknown'), 'text');

    // Assess
    expect(text).toContain('No account has reported meta.llama-unknown.');
  });
});
