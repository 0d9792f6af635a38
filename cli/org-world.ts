/**
 * An organization, whole, on this machine (docs/organization.md "Offline"): one member per
 * account x region, each the real prober handler in member mode with its own table, talking to the
 * Bedrock simulator through the real SDKs as its account (the scenario's access key ids); an
 * in-process bus in place of EventBridge (each member's rule forwards to the home's org bus, which
 * invokes the home function); the home function itself in organization mode; and a simulated clock
 * that fires every schedule (the probe accounts' sweep and sentinel, every member's account tick,
 * the home's watch). Nothing here decides what a cell says: it only runs the parts on time.
 */

import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import { accountFactsCalls } from '../lambda/adapters/account-facts';
import { controlPlaneClient } from '../lambda/adapters/aws-clients';
import { createProbeClients } from '../lambda/adapters/probes';
import { regionProbing } from '../lambda/adapters/region-probing';
import { MemoryStore } from '../lambda/adapters/store/memory-store';
import type { TableStore } from '../lambda/adapters/store/table-store';
import type { ProberConfig } from '../lambda/config';
import type { Alert } from '../lambda/core/alert-message';
import type { MemberEvent } from '../lambda/core/org/events';
import type { BusEnvelope } from '../lambda/core/org/parse-event';
import type { OrgAccount } from '../lambda/core/org/types';
import { createHandler, type RunOutcome } from '../lambda/handler';
import { createHomeHandler } from '../lambda/home/notifier';
import { createOrgHome } from '../lambda/home/org-home';
import { createLogger, type Logger } from '../lambda/logger';
import type { SendResult } from '../lambda/member/ports';
import { DEFAULTS, WATCH_PERIOD_MINUTES } from '../lambda/shared/names';
import { ACCOUNT_TICK_MINUTES, INBOX_BATCH, memberStaleAfterMinutes } from '../lambda/shared/org-names';
import type { RunningSimulator } from '../simulator/server';
import { demoEnv, SIMULATOR_POLL_MS } from './commands/demo';

export interface WorldAccount extends OrgAccount {
  /** The access key id the simulator knows the account by (its scenario `accounts` entry). */
  readonly accessKeyId: string;
}

export interface OrgWorldOptions {
  readonly sim: RunningSimulator;
  readonly regions: readonly string[];
  readonly accounts: readonly WorldAccount[];
  /** The probe account of each region. */
  readonly probeAccounts: Readonly<Record<string, string>>;
  /** The home's table. @default a MemoryStore */
  readonly homeStore?: TableStore;
  /** The simulated clock's start. */
  readonly start: Date;
  /** Where the parts' JSON log lines go. @default dropped */
  readonly log?: (line: string) => void;
  /** The guardrail every member's probe Guardrail is (the scenario's). */
  readonly guardrail: { readonly id: string; readonly version: string };
}

interface Member {
  readonly account: WorldAccount;
  readonly region: string;
  readonly role: 'probe' | 'member';
  readonly store: MemoryStore;
  readonly invoke: (event: { kind: string; scheduledTime: string }) => Promise<RunOutcome>;
}

/** What the bus and the home did, in order: the demo prints it, the tests read it. */
export interface WorldRecord {
  readonly alerts: { readonly at: string; readonly alert: Alert }[];
  /** Every envelope the bus carried. */
  readonly events: BusEnvelope[];
  readonly metrics: { readonly at: string; readonly name: string; readonly value: number }[];
}

export class OrgWorld {
  readonly record: WorldRecord = { alerts: [], events: [], metrics: [] };
  readonly home: TableStore;
  /** Members whose bus is down: their PutEvents entries fail, as EventBridge reports per entry. */
  readonly busDown = new Set<string>();
  /** Deliver every event twice (a retried delivery): the home must store it once. */
  deliverTwice = false;
  private clock: Date;
  private readonly members: Member[];
  private readonly queue: BusEnvelope[] = [];
  private readonly homeHandler: ReturnType<typeof createHomeHandler>;
  private readonly log: Logger;

  constructor(private readonly options: OrgWorldOptions) {
    this.clock = new Date(options.start);
    this.log = createLogger(options.log ?? (() => {}));
    this.home = options.homeStore ?? new MemoryStore();
    this.members = options.regions.flatMap((region) =>
      options.accounts.map((account) => this.member(account, region)),
    );
    const now = () => new Date(this.clock);
    const accounts = options.accounts.map(({ accessKeyId: _key, ...a }) => a);
    // SNS and CloudWatch have no local stand-in: what the home would send is recorded, in order.
    const publishAlert = async (alert: Alert) => {
      this.record.alerts.push({ at: now().toISOString(), alert });
    };
    const publishMetrics = async (data: readonly MetricDatum[]) => {
      for (const d of data) {
        this.record.metrics.push({ at: now().toISOString(), name: d.MetricName ?? '', value: d.Value ?? 0 });
      }
    };
    this.homeHandler = createHomeHandler({
      store: this.home,
      account: '000000000000',
      regions: options.regions,
      staleAfterMs: memberStaleAfterMinutes() * 60_000,
      publishAlert,
      publishEvents: async () => undefined,
      publishMetrics,
      log: this.log,
      dependencyTimeoutMs: DEFAULTS.dependencyTimeoutMs,
      now,
      org: createOrgHome({
        store: this.home.org(),
        probeAccounts: options.probeAccounts,
        regions: options.regions,
        memberStaleAfterMs: memberStaleAfterMinutes() * 60_000,
        listAccounts: async () => accounts,
        publishAlert,
        publishMetrics,
        log: this.log,
      }),
    });
  }

  get now(): Date {
    return new Date(this.clock);
  }

  /** The first day: each probe account's sweep, then one tick of everything. */
  async start(): Promise<void> {
    for (const m of this.members.filter((x) => x.role === 'probe')) await this.invoke(m, 'sweep');
    await this.tick();
  }

  /** One schedule period: sentinels, account ticks, the home's watch; then the clock moves on. */
  async tick(): Promise<void> {
    for (const m of this.members.filter((x) => x.role === 'probe')) await this.invoke(m, 'sentinel');
    for (const m of this.members) await this.invoke(m, 'account');
    await this.homeHandler(undefined);
    this.clock = new Date(
      this.clock.getTime() + Math.min(ACCOUNT_TICK_MINUTES, WATCH_PERIOD_MINUTES) * 60_000,
    );
  }

  /** Runs `minutes` of schedules. */
  async run(minutes: number): Promise<void> {
    const end = this.clock.getTime() + minutes * 60_000;
    while (this.clock.getTime() < end) await this.tick();
  }

  /** The member of one account and region (tests inspect or break it). */
  memberOf(account: string, region: string): Member {
    const m = this.members.find((x) => x.account.id === account && x.region === region);
    if (!m) throw new Error(`no member ${account}/${region}`);
    return m;
  }

  private async invoke(m: Member, kind: string): Promise<void> {
    await m.invoke({ kind, scheduledTime: this.clock.toISOString() });
    await this.deliver();
  }

  /**
   * The bus and the home's inbox: every queued event to the home function in batches of the
   * inbox's size, as SQS hands them over (each twice when asked); a message the function reports
   * failed is handed over again.
   */
  private async deliver(): Promise<void> {
    let attempts = 0;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, INBOX_BATCH);
      this.record.events.push(...batch);
      const messages = batch.flatMap((envelope, i) =>
        (this.deliverTwice ? [0, 1] : [0]).map((copy) => ({
          eventSource: 'aws:sqs' as const,
          messageId: `m${i}-${copy}`,
          body: JSON.stringify(envelope),
          envelope,
        })),
      );
      const outcome = await this.homeHandler({ Records: messages.map(({ envelope: _e, ...m }) => m) });
      const failed = new Set((outcome.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      const again = [...new Set(messages.filter((m) => failed.has(m.messageId)).map((m) => m.envelope))];
      if (again.length > 0 && ++attempts > 20)
        throw new Error(`the home keeps failing ${again.length} events`);
      this.queue.unshift(...again);
    }
  }

  private member(account: WorldAccount, region: string): Member {
    const role = this.options.probeAccounts[region] === account.id ? 'probe' : 'member';
    const env = demoEnv({}, this.options.sim.urlsFor(region), undefined);
    const credentials = { accessKeyId: account.accessKeyId, secretAccessKey: 'simulator-secret' };
    const clients = createProbeClients({ region, env, credentials, timeoutMs: DEFAULTS.probeTimeoutMs });
    const bedrock = controlPlaneClient({ region, env, credentials, timeoutMs: DEFAULTS.dependencyTimeoutMs });
    const store = new MemoryStore();
    const label = `${account.id}/${region}`;
    const send = async (events: readonly MemberEvent[]): Promise<SendResult> => {
      if (this.busDown.has(label)) {
        return {
          accepted: [],
          failures: events.map((e) => `${e.detail.id}: InternalFailure (bus down in this world)`),
        };
      }
      for (const e of events) {
        this.queue.push({
          id: `evt-${this.queue.length}-${e.detail.id}`,
          source: 'bedrock-matrix.member',
          'detail-type': e.detailType,
          account: account.id,
          region,
          detail: JSON.parse(JSON.stringify(e.detail)),
        });
      }
      return { accepted: events.map((e) => e.detail.id), failures: [] };
    };
    const handler = createHandler({
      config: memberConfig(account.id, region, this.options.guardrail),
      store,
      // The simulator steps a background response once per retrieve: no wait between retrieves.
      ...regionProbing(
        clients,
        bedrock,
        { timeoutMs: DEFAULTS.probeTimeoutMs, backgroundPollMs: SIMULATOR_POLL_MS },
        { dependencyTimeoutMs: DEFAULTS.dependencyTimeoutMs },
      ),
      log: this.log,
      now: () => new Date(this.clock),
      probeLimits: { backoffBaseMs: 1, backoffMaxMs: 5, modelPacingMs: 0, maxAttempts: 2 },
      member: { role, state: store.memberState(), ...accountFactsCalls(bedrock), send },
    });
    const context = { awsRequestId: `req-${label}`, getRemainingTimeInMillis: () => 900_000 };
    return { account, region, role, store, invoke: (event) => handler(event, context) };
  }
}

/** The member's prober settings: the stack's defaults (lib/org/member-stack.ts sets the same). */
function memberConfig(
  account: string,
  region: string,
  guardrail: OrgWorldOptions['guardrail'],
): ProberConfig {
  return {
    region,
    account,
    tableName: 'bedrock-matrix-member',
    tableRegion: region,
    guardrail,
    canary: DEFAULTS.canary,
    include: [],
    exclude: [],
    apis: undefined,
    maxTokens: DEFAULTS.maxTokens,
    concurrency: DEFAULTS.concurrency,
    historyTtlDays: DEFAULTS.historyTtlDays,
    confirmCount: DEFAULTS.confirmCount,
    noticeDays: 30,
    maxCalls: Number.POSITIVE_INFINITY,
  };
}
