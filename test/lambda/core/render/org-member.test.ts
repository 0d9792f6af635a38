import { describe, expect, it } from 'vitest';
import type { OrgAccount, OrgCell } from '../../../../lambda/core/org/types';
import { orgMemberView } from '../../../../lambda/core/org/view';
import { renderOrgMember } from '../../../../lambda/core/render/org';
import {
  ACCOUNTS,
  CELLS,
  GOVERNED,
  GPT_OSS,
  MEMBERS,
  NOVA_MICRO,
  NOW,
  orgCell,
  SCP_DENY,
  SONNET,
  STALE_EVENT,
} from '../org/org-fixture';
import { mdCells, textRow, textSection } from './org-text';

// One member's own matrix (lambda/core/render/org.ts renderOrgMember): Governed in eu-west-1,
// the fixture's stale member with an SCP deny, an enforced guardrail and a model not served there.

describe('renderOrgMember', () => {
  const governed = (cells: readonly OrgCell[] = CELLS, accounts: readonly OrgAccount[] = ACCOUNTS) =>
    orgMemberView(GOVERNED, 'eu-west-1', { cells, accounts, members: MEMBERS });

  it("has the member's name, OU and last event, then one row per model with its access, each api and the guardrails", () => {
    // Act
    const text = renderOrgMember(governed(), 'text', { now: NOW });

    // Assess
    const lines = text.split('\n');
    expect(lines[0]).toBe('Member 333333333333 Governed (OU Workloads) in eu-west-1: 3 models, 1 usable');
    expect(lines[1]).toBe(`member (account facts only): last event ${STALE_EVENT} (3 h ago)`);
    expect(textRow(text, 'model')).toEqual([
      'model',
      'access',
      'runtime/converse',
      'runtime/invoke',
      'runtime/chat',
      'mantle/chat',
      'mantle/responses',
      'mantle/messages',
      'enforced guardrails',
    ]);
    expect(textRow(text, NOVA_MICRO)).toEqual([
      NOVA_MICRO,
      'not-offered',
      'not-offered',
      'not-offered',
      '-',
      '-',
      '-',
      '-',
      'gr-user:1',
    ]);
    expect(textRow(text, SONNET)).toEqual([
      SONNET,
      'usable',
      'usable',
      'usable',
      '-',
      '-',
      '-',
      'not-offered',
      'gr-user:1',
    ]);
    expect(textRow(text, GPT_OSS)).toEqual([
      GPT_OSS,
      'denied',
      'denied',
      '-',
      'denied',
      'denied',
      'denied',
      '-',
      'gr-user:1',
    ]);
  });

  it('gives the reason for everything not usable, by model, with what it concerns and which fact said it', () => {
    // Act
    const why = textSection(renderOrgMember(governed(), 'text'), 'Why not usable');

    // Assess
    expect(why).toEqual([
      `${NOVA_MICRO}: not-offered: the region does not serve it (the model and every api; region fact)`,
      `${SONNET}: not-offered: not-found on mantle (mantle/messages; region fact)`,
      `${GPT_OSS}: denied: ${SCP_DENY} (the model and every api; the account's own probe)`,
    ]);
  });

  it('says so for a member the home never heard from, and writes the same rows in Markdown and the view as JSON', () => {
    // Act
    const none = renderOrgMember(
      orgMemberView('444444444444', 'eu-west-1', { cells: CELLS, accounts: ACCOUNTS, members: MEMBERS }),
      'text',
    );
    const md = renderOrgMember(governed(), 'markdown');
    const json = JSON.parse(renderOrgMember(governed(), 'json'));

    // Assess
    expect(none.split('\n').slice(0, 4)).toEqual([
      'Member 444444444444 in eu-west-1: 0 models, 0 usable',
      'the home has received no event from this member',
      '',
      'No model reported by 444444444444 in eu-west-1.',
    ]);
    expect(md.split('\n')[0]).toBe(
      '# Member 333333333333 Governed (OU Workloads) in eu-west-1: 3 models, 1 usable',
    );
    expect(mdCells(md.split('\n').find((l) => l.startsWith(`| ${GPT_OSS} `)) ?? '')).toEqual([
      GPT_OSS,
      'denied',
      'denied',
      '-',
      'denied',
      'denied',
      'denied',
      '-',
      'gr-user:1',
    ]);
    expect(json).toEqual(JSON.parse(JSON.stringify(governed())));
  });

  it('keeps hostile names, model keys and reasons inert in text and Markdown', () => {
    // Prepare
    const evil = 'evil|<img src=x>\u001b[2J';
    const cells = [
      orgCell(evil, 'eu-west-1', GOVERNED, 'broken', {
        reason: 'HTTP 500 Authorization: Bearer abcdefghijklmnop1234',
      }),
    ];
    const accounts = [
      { id: GOVERNED, name: 'Team|<b>x</b>\u001b[2J', ou: { id: 'ou-x', name: '<i>ou</i>' } },
    ];

    // Act
    const text = renderOrgMember(governed(cells, accounts), 'text');
    const md = renderOrgMember(governed(cells, accounts), 'markdown');

    // Assess
    for (const out of [text, md]) {
      expect(out).not.toContain('\u001b');
      expect(out).not.toContain('abcdefghijklmnop1234');
      expect(out).toContain('broken: HTTP 500 Authorization: [redacted]');
    }
    expect(md).not.toMatch(/<(img|b|i)>/);
    expect(md).toContain('Team\\|&lt;b&gt;x&lt;/b&gt;␛[2J (OU &lt;i&gt;ou&lt;/i&gt;)');
    expect(md).toContain('evil\\|&lt;img src=x&gt;␛[2J');
  });
});
