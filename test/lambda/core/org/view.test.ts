import { describe, expect, it } from 'vitest';
import { orgMatrixView, orgMemberView, orgModelView } from '../../../../lambda/core/org/view';
import {
  ACCOUNTS,
  CELLS,
  GOVERNED,
  GPT_OSS,
  MEMBERS,
  NOVA_LITE,
  NOVA_MICRO,
  NOW,
  orgCell,
  PLATFORM,
  REGIONS,
  SANDBOX,
  SONNET,
  STALE_AFTER_MS,
} from './org-fixture';

const matrix = () =>
  orgMatrixView({
    cells: CELLS,
    members: MEMBERS,
    accounts: ACCOUNTS,
    regions: REGIONS,
    now: NOW,
    staleAfterMs: STALE_AFTER_MS,
  });

const square = (view: ReturnType<typeof matrix>, model: string, region: string) =>
  view.rows.find((r) => r.model === model)?.cells[view.regions.indexOf(region)];

describe('orgMatrixView', () => {
  it('has one row per model, sorted by key, and one square per region in the given order', () => {
    // Act
    const view = matrix();

    // Assess
    expect(view.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(view.rows.map((r) => r.model)).toEqual([NOVA_LITE, NOVA_MICRO, SONNET, GPT_OSS]);
    expect(view.rows.every((r) => r.cells.length === 2)).toBe(true);
  });

  it('counts the accounts that can use a model in a region and why the others cannot, naming them', () => {
    // Act
    const view = matrix();

    // Assess
    expect(square(view, SONNET, 'eu-west-1')).toEqual({
      usable: 2,
      total: 3,
      others: { 'no-access': 1 },
      accountsBy: { 'no-access': [SANDBOX] },
    });
    expect(square(view, GPT_OSS, 'us-east-1')).toMatchObject({
      usable: 2,
      total: 3,
      others: { denied: 1 },
      accountsBy: { denied: [GOVERNED] },
    });
    expect(square(view, NOVA_MICRO, 'eu-west-1')).toMatchObject({
      usable: 0,
      total: 3,
      others: { 'not-offered': 3 },
    });
    expect(square(view, NOVA_MICRO, 'us-east-1')).toMatchObject({ usable: 3, total: 3, others: {} });
  });

  it('leaves a square empty (null) where no account reported the model', () => {
    // Act
    const view = matrix();

    // Assess
    expect(square(view, NOVA_LITE, 'us-east-1')).toMatchObject({ usable: 3, total: 3 });
    expect(square(view, NOVA_LITE, 'eu-west-1')).toBeNull();
  });

  it('lists the members whose last event is older than the threshold, and only those', () => {
    // Act
    const view = matrix();

    // Assess
    expect(view.staleMembers.map((m) => `${m.account} ${m.region}`)).toEqual([`${GOVERNED} eu-west-1`]);
  });

  it('counts a member with an unreadable last event as stale, and one just inside the threshold as not', () => {
    // Prepare
    const justInside = new Date(NOW.getTime() - STALE_AFTER_MS).toISOString();
    const members = [
      {
        account: PLATFORM,
        region: 'us-east-1',
        role: 'probe' as const,
        lastEvent: justInside,
        lastEventId: 'a',
      },
      {
        account: SANDBOX,
        region: 'us-east-1',
        role: 'member' as const,
        lastEvent: 'garbled',
        lastEventId: 'b',
      },
    ];

    // Act
    const view = orgMatrixView({
      cells: [],
      members,
      accounts: [],
      regions: [],
      now: NOW,
      staleAfterMs: STALE_AFTER_MS,
    });

    // Assess
    expect(view.staleMembers.map((m) => m.account)).toEqual([SANDBOX]);
  });

  it('names an account only cells know by its id, and adds a region only cells name after the given ones', () => {
    // Prepare
    const stray = orgCell(SONNET, 'ap-south-1', '444444444444', 'unknown', { reason: 'no fact yet' });

    // Act
    const view = orgMatrixView({
      cells: [...CELLS, stray],
      members: [],
      accounts: ACCOUNTS,
      regions: REGIONS,
      now: NOW,
      staleAfterMs: STALE_AFTER_MS,
    });

    // Assess
    expect(view.accounts.map((a) => a.name)).toEqual(['Platform', 'Sandbox', 'Governed', '444444444444']);
    expect(view.accounts.at(-1)).toEqual({ id: '444444444444', name: '444444444444', ou: null });
    expect(view.regions).toEqual(['us-east-1', 'eu-west-1', 'ap-south-1']);
    expect(square(view, SONNET, 'ap-south-1')).toMatchObject({ usable: 0, total: 1, others: { unknown: 1 } });
  });

  it('counts an account once when its cell is given twice, by its newest verified state', () => {
    // Prepare
    const older = orgCell(GPT_OSS, 'us-east-1', GOVERNED, 'usable', {
      lastVerified: '2026-11-01T00:00:00.000Z',
    });

    // Act
    const view = orgMatrixView({
      cells: [older, ...CELLS],
      members: [],
      accounts: ACCOUNTS,
      regions: REGIONS,
      now: NOW,
      staleAfterMs: STALE_AFTER_MS,
    });

    // Assess
    expect(square(view, GPT_OSS, 'us-east-1')).toMatchObject({ usable: 2, total: 3, others: { denied: 1 } });
  });
});

describe('orgModelView', () => {
  it("holds only that model's cells, sorted region (given order) then account", () => {
    // Act
    const view = orgModelView(GPT_OSS, { cells: CELLS, accounts: ACCOUNTS, regions: REGIONS });

    // Assess
    expect(view.model).toBe(GPT_OSS);
    expect(view.cells.map((c) => `${c.region} ${c.account} ${c.access}`)).toEqual([
      `us-east-1 ${PLATFORM} usable`,
      `us-east-1 ${SANDBOX} usable`,
      `us-east-1 ${GOVERNED} denied`,
      `eu-west-1 ${PLATFORM} usable`,
      `eu-west-1 ${SANDBOX} usable`,
      `eu-west-1 ${GOVERNED} denied`,
    ]);
    expect(view.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(view.accounts).toEqual(ACCOUNTS);
  });

  it('is empty for a model no account reported', () => {
    // Act
    const view = orgModelView('meta.llama-unknown', { cells: CELLS, accounts: ACCOUNTS, regions: REGIONS });

    // Assess
    expect(view.cells).toEqual([]);
  });
});

describe('orgMemberView', () => {
  it('holds every model the member reported in its region, sorted by key, with its name, OU and record', () => {
    // Act
    const view = orgMemberView(SANDBOX, 'eu-west-1', { cells: CELLS, accounts: ACCOUNTS, members: MEMBERS });

    // Assess
    expect(view.account).toEqual({
      id: SANDBOX,
      name: 'Sandbox',
      ou: { id: 'ou-root-sandbox', name: 'Sandbox' },
    });
    expect(view.region).toBe('eu-west-1');
    expect(view.cells.map((c) => `${c.model} ${c.access}`)).toEqual([
      `${NOVA_MICRO} not-offered`,
      `${SONNET} no-access`,
      `${GPT_OSS} usable`,
    ]);
    expect(view.cells.every((c) => c.account === SANDBOX && c.region === 'eu-west-1')).toBe(true);
    expect(view.member).toMatchObject({ account: SANDBOX, region: 'eu-west-1', role: 'member' });
  });

  it('keeps the newest of a cell given twice and the newest of two records of the member', () => {
    // Prepare
    const older = orgCell(GPT_OSS, 'us-east-1', GOVERNED, 'usable', {
      lastVerified: '2026-11-01T00:00:00.000Z',
    });
    const oldRecord = { ...(MEMBERS[2] as (typeof MEMBERS)[number]), lastEvent: '2026-11-01T00:00:00.000Z' };

    // Act
    const view = orgMemberView(GOVERNED, 'us-east-1', {
      cells: [older, ...CELLS],
      accounts: ACCOUNTS,
      members: [oldRecord, ...MEMBERS],
    });

    // Assess
    expect(view.cells.find((c) => c.model === GPT_OSS)?.access).toBe('denied');
    expect(view.cells).toHaveLength(4);
    expect(view.member?.lastEvent).toBe('2026-12-01T11:55:00.000Z');
  });

  it('names an account Organizations did not name by its id, and has no record or cells for a member never heard from', () => {
    // Act
    const view = orgMemberView('444444444444', 'us-east-1', {
      cells: CELLS,
      accounts: ACCOUNTS,
      members: MEMBERS,
    });

    // Assess
    expect(view.account).toEqual({ id: '444444444444', name: '444444444444', ou: null });
    expect(view.member).toBeNull();
    expect(view.cells).toEqual([]);
  });
});
