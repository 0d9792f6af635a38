/**
 * The `account` invocation of a member's prober: discover the region's catalogs, run the
 * account-facts tick (probing moved models through the prober's own engine, basic and guardrail
 * cells only), and in the region's probe account also send what the region facts' outbox holds.
 */
import { errorText } from '../adapters/bounded';
import type { ProberConfig } from '../config';
import type { Scope } from '../core/model';
import { factOf, isFactVariant } from '../core/org/combine';
import type { AccountProbe } from '../core/org/types';
import type { RunStore } from '../core/ports';
import { modelKeyOf } from '../core/resolve';
import { DEFAULT_LIMITS } from '../engine/matrix-prober';
import { discover, modelEntries, probeRegion, type RegionRunDeps } from '../engine/run-region';
import type { Logger } from '../logger';
import { DEFAULTS } from '../shared/names';
import { accountTick } from './account-tick';
import type { MemberDeps } from './ports';
import { sendRegionFacts } from './region-facts';

export interface AccountInvocation {
  readonly config: ProberConfig;
  readonly scope: Scope;
  readonly member: MemberDeps;
  readonly store: RunStore;
  readonly probing: RegionRunDeps;
  /** The sweep's model filter: a member watches the models its sweeps would probe. */
  readonly wanted: (key: string) => boolean;
  readonly at: Date;
  /** Epoch ms by which the probes must end. */
  readonly deadline: number;
  readonly log: Logger;
  readonly probeLimits?: Partial<typeof DEFAULT_LIMITS>;
}

export interface AccountOutcome {
  /** Why nothing was read (a catalog did not answer). */
  readonly skipped?: string;
  readonly changes: number;
  readonly probesSent: number;
}

export async function accountInvocation(a: AccountInvocation): Promise<AccountOutcome> {
  const { config, scope, log } = a;
  const timeoutMs = config.dependencyTimeoutMs ?? DEFAULTS.dependencyTimeoutMs;
  if (a.member.role === 'probe') {
    // What an earlier run could not send home goes first (its outbox), whatever the catalogs say.
    await sendRegionFacts(a.member, a.store, scope, a.at, log).catch((err) =>
      log.warn('region facts not sent (the outbox keeps them)', { error: errorText(err) }),
    );
  }
  const discovery = await discover(scope.region, a.probing.loadCatalogs);
  if (discovery.problems.length > 0) {
    // A catalog that did not answer is not every model leaving: nothing is compared or sent.
    log.warn('account facts: a catalog is not usable', {
      region: scope.region,
      problems: discovery.problems,
    });
    return { skipped: `a catalog is not usable: ${discovery.problems[0]}`, changes: 0, probesSent: 0 };
  }
  const foundationIds = new Map(
    (discovery.catalogs.foundationModels ?? []).map((fm) => [modelKeyOf(fm.modelId), fm.modelId]),
  );
  const models = modelEntries(discovery)
    .filter((m) => a.wanted(m.key))
    .map((m) => ({ key: m.key, foundationModelId: foundationIds.get(m.key) ?? null }));
  let probesSent = 0;
  const probe = async (keys: readonly string[]): Promise<AccountProbe[]> => {
    const run = await probeRegion(
      discovery,
      {
        region: scope.region,
        plan: {
          ...(config.apis ? { apis: config.apis } : {}),
          include: [...keys],
          exclude: [],
          features: [],
          guardrail: config.guardrail,
        },
        limits: {
          ...DEFAULT_LIMITS,
          ...a.probeLimits,
          concurrency: config.concurrency,
          maxTokens: config.maxTokens,
          maxCalls: config.maxCalls,
          deadline: a.deadline,
        },
        canary: config.canary,
      },
      a.probing,
    );
    probesSent += run.probesSent;
    return run.cells.filter(isFactVariant).map(factOf);
  };
  const outcome = await accountTick(a.member, {
    scope,
    at: a.at,
    models,
    probe,
    dependencyTimeoutMs: timeoutMs,
    log,
  });
  return { changes: outcome.changedModels.length, probesSent };
}
