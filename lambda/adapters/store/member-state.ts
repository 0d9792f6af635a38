/**
 * A member's state in its member table (lambda/member/ports.ts): the facts the bus accepted last
 * (one item, rewritten only when they moved) and the send times (one small item, so the half-hourly
 * heartbeat writes one write unit, not the facts).
 */
import type { Scope } from '../../core/model';
import type { AccountFacts } from '../../core/org/types';
import type { MemberState, MemberStateStore } from '../../member/ports';
import { scopePart } from './keys';
import type { Table } from './table';

const pk = (scope: Scope): string => `MEMBER#${scopePart(scope)}`;
const FACTS_SK = 'FACTS';
const TIMES_SK = 'TIMES';

export class MemberStateTable implements MemberStateStore {
  constructor(private readonly table: Table) {}

  async loadMemberState(scope: Scope): Promise<MemberState> {
    const items = await this.table.query({ pk: pk(scope) });
    const facts = items.find((i) => i.sk === FACTS_SK);
    const times = items.find((i) => i.sk === TIMES_SK);
    const time = (name: string): string | null =>
      typeof times?.[name] === 'string' ? (times[name] as string) : null;
    return {
      sent: typeof facts?.facts === 'string' ? (JSON.parse(facts.facts) as AccountFacts) : null,
      lastEvent: time('lastEvent'),
      lastSnapshot: time('lastSnapshot'),
      lastRegionSnapshot: time('lastRegionSnapshot'),
    };
  }

  async saveSentFacts(scope: Scope, facts: AccountFacts): Promise<void> {
    await this.table.batchWrite([
      { put: { pk: pk(scope), sk: FACTS_SK, type: 'member-facts', facts: JSON.stringify(facts) } },
    ]);
  }

  async saveSendTimes(scope: Scope, times: Omit<MemberState, 'sent'>): Promise<void> {
    const set = Object.fromEntries(Object.entries(times).filter(([, v]) => v !== null));
    await this.table.batchWrite([{ put: { pk: pk(scope), sk: TIMES_SK, type: 'member-times', ...set } }]);
  }
}
