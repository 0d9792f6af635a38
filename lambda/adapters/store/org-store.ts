/**
 * The organization's items in the home table (the org port of core/org/ports.ts) and a member's
 * own state in its member table, over the same `Table` as the results store:
 *
 * | item                   | pk                     | sk                        | written with              |
 * |------------------------|------------------------|---------------------------|---------------------------|
 * | member record          | ORG#MEMBERS            | <account>#<region>        | newer `lastEvent` only    |
 * | account facts          | ORG#FACTS#<region>     | <account>                 | newer or equal `at` only  |
 * | region facts, a model  | ORG#REGION#<region>    | MODEL#<model>             | newer or equal `at` only  |
 * | org cell               | ORG#CELLS#<region>     | <account>#<model>         | put                       |
 * | org outbox             | ORG#OUTBOX             | <at>#<change id>          | put, deleted once alerted |
 * | account name           | ORG#ACCOUNTS           | <account>                 | put                       |
 * | notice alerted         | ORG#NOTICES#<region>   | <notice key>              | put, after SNS took it    |
 * | member state (member)  | MEMBER#<account>#<region> | STATE / HEARTBEAT      | put                       |
 *
 * Facts are stored as JSON text (a region's facts of one account are tens of KB, well inside an
 * item's 400 KB). Every write is conditional on time or is state-based, so an event stored twice
 * is stored once. One Query reads each pattern; an account's cells of a region are one prefix Query.
 */
import { createHash } from 'node:crypto';
import type { OrgStore, PendingOrgChange } from '../../core/org/ports';
import type {
  AccountFacts,
  MemberRecord,
  OrgAccount,
  OrgCell,
  OrgChange,
  RegionFactCell,
  RegionFacts,
} from '../../core/org/types';
import { namePart, part } from './keys';
import type { Item, Table } from './table';

const MEMBERS_PK = 'ORG#MEMBERS';
const OUTBOX_PK = 'ORG#OUTBOX';
const ACCOUNTS_PK = 'ORG#ACCOUNTS';
const factsPk = (region: string): string => `ORG#FACTS#${part(region, 'region')}`;
const regionPk = (region: string): string => `ORG#REGION#${part(region, 'region')}`;
const cellsPk = (region: string): string => `ORG#CELLS#${part(region, 'region')}`;
const noticesPk = (region: string): string => `ORG#NOTICES#${part(region, 'region')}`;
const modelPart = (model: string): string => namePart(model, 'model key');

const text = (item: Item, name: string): string => {
  const v = item[name];
  if (typeof v !== 'string')
    throw new Error(`stored item ${String(item.pk)}/${String(item.sk)} has no ${name}`);
  return v;
};

export class OrgTableStore implements OrgStore {
  constructor(private readonly table: Table) {}

  async saveMemberEvent(record: MemberRecord): Promise<void> {
    await this.table.putIfNotNewer(
      {
        pk: MEMBERS_PK,
        sk: `${part(record.account, 'account')}#${part(record.region, 'region')}`,
        type: 'org-member',
        ...record,
        lastRunStartedAt: record.lastEvent,
      },
      record.lastEvent,
    );
  }

  async members(): Promise<MemberRecord[]> {
    const items = await this.table.query({ pk: MEMBERS_PK });
    return items.map((i) => ({
      account: text(i, 'account'),
      region: text(i, 'region'),
      role: i.role === 'probe' ? 'probe' : 'member',
      lastEvent: text(i, 'lastEvent'),
      lastEventId: text(i, 'lastEventId'),
    }));
  }

  async loadAccountFacts(account: string, region: string): Promise<AccountFacts | null> {
    const [item] = await this.table.query({ pk: factsPk(region), skEquals: part(account, 'account') });
    return item ? (JSON.parse(text(item, 'facts')) as AccountFacts) : null;
  }

  async accountFactsOfRegion(region: string): Promise<AccountFacts[]> {
    const items = await this.table.query({ pk: factsPk(region) });
    return items.map((i) => JSON.parse(text(i, 'facts')) as AccountFacts);
  }

  async saveAccountFacts(facts: AccountFacts): Promise<boolean> {
    return this.table.putIfNotNewer(
      {
        pk: factsPk(facts.region),
        sk: part(facts.account, 'account'),
        type: 'org-account-facts',
        facts: JSON.stringify(facts),
        lastRunStartedAt: facts.at,
      },
      facts.at,
    );
  }

  async loadRegionFacts(region: string): Promise<RegionFacts | null> {
    const items = await this.table.query({ pk: regionPk(region) });
    const live = items.filter((i) => i.removed !== true);
    if (live.length === 0) return null;
    const models: Record<string, readonly RegionFactCell[]> = {};
    for (const i of live) models[text(i, 'model')] = JSON.parse(text(i, 'cells')) as RegionFactCell[];
    const newest = live.reduce((a, i) => (text(i, 'at') > text(a, 'at') ? i : a));
    return { region, account: text(newest, 'account'), at: text(newest, 'at'), models };
  }

  async saveRegionFacts(
    region: string,
    account: string,
    at: string,
    models: Readonly<Record<string, readonly RegionFactCell[]>>,
    removed: readonly string[] = [],
  ): Promise<string[]> {
    const written: string[] = [];
    const put = async (model: string, attrs: Record<string, unknown>): Promise<void> => {
      const stored = await this.table.putIfNotNewer(
        {
          pk: regionPk(region),
          sk: `MODEL#${modelPart(model)}`,
          type: 'org-region-facts',
          model,
          account,
          at,
          ...attrs,
          lastRunStartedAt: at,
        },
        at,
      );
      if (stored) written.push(model);
    };
    for (const [model, cells] of Object.entries(models)) await put(model, { cells: JSON.stringify(cells) });
    // A tombstone, so a late event of an older run cannot bring a removed model back.
    for (const model of removed) await put(model, { cells: '[]', removed: true });
    return written;
  }

  async orgCells(model?: string): Promise<OrgCell[]> {
    const regions = [...new Set((await this.members()).map((m) => m.region))].sort();
    const all = await Promise.all(regions.map((r) => this.orgCellsOfRegion(r)));
    // Keyed by account first (what every ingest reads); one model's cells are a filter, for the view.
    return all.flat().filter((c) => model === undefined || c.model === model);
  }

  async orgCellsOfRegion(region: string, account?: string): Promise<OrgCell[]> {
    const items = await this.table.query({
      pk: cellsPk(region),
      ...(account === undefined ? {} : { skPrefix: `${part(account, 'account')}#` }),
    });
    return items.map(toCell);
  }

  async saveOrgCells(cells: readonly OrgCell[], changes: readonly OrgChange[]): Promise<void> {
    // The outbox first: a crash before the cells are written recomputes the same changes (same
    // ids) next time; cells written first could move without their change ever being alerted.
    await this.table.batchWrite(
      changes.map((change) => ({
        put: {
          pk: OUTBOX_PK,
          sk: `${change.at}#${changeId(change)}`,
          type: 'org-change',
          change: JSON.stringify(change),
        },
      })),
    );
    await this.table.batchWrite(
      cells.map((cell) => ({
        put: {
          pk: cellsPk(cell.region),
          sk: `${part(cell.account, 'account')}#${modelPart(cell.model)}`,
          type: 'org-cell',
          cell: JSON.stringify(cell),
        },
      })),
    );
  }

  async pendingOrgChanges(): Promise<PendingOrgChange[]> {
    const items = await this.table.query({ pk: OUTBOX_PK });
    return items.map((i) => ({ id: text(i, 'sk'), change: JSON.parse(text(i, 'change')) as OrgChange }));
  }

  async markOrgChangesAlerted(ids: readonly string[]): Promise<void> {
    await this.table.batchWrite(ids.map((sk) => ({ delete: { pk: OUTBOX_PK, sk } })));
  }

  async orgAccounts(): Promise<OrgAccount[]> {
    const items = await this.table.query({ pk: ACCOUNTS_PK });
    return items.map((i) => JSON.parse(text(i, 'account')) as OrgAccount);
  }

  async noticeAlerted(region: string, key: string): Promise<boolean> {
    return (
      (await this.table.query({ pk: noticesPk(region), skEquals: namePart(key, 'notice key') })).length > 0
    );
  }

  async markNoticeAlerted(region: string, key: string, at: string): Promise<void> {
    await this.table.batchWrite([
      { put: { pk: noticesPk(region), sk: namePart(key, 'notice key'), type: 'org-notice', key, at } },
    ]);
  }

  async saveOrgAccounts(accounts: readonly OrgAccount[], at: string): Promise<void> {
    await this.table.batchWrite(
      accounts.map((a) => ({
        put: {
          pk: ACCOUNTS_PK,
          sk: part(a.id, 'account'),
          type: 'org-account',
          account: JSON.stringify(a),
          readAt: at,
        },
      })),
    );
  }
}

const toCell = (item: Item): OrgCell => JSON.parse(text(item, 'cell')) as OrgCell;

/** The same move of the same cell at the same time is one outbox item, however often it is computed. */
const changeId = (c: OrgChange): string =>
  createHash('sha256')
    .update(JSON.stringify([c.model, c.region, c.account, c.from, c.to, c.at]))
    .digest('hex')
    .slice(0, 24);
