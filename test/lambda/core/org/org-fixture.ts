/**
 * An organization as its home stores it (the simulator's scenarios/org.json, after the members
 * reported): three accounts in us-east-1 and eu-west-1. 111111111111 Platform can use every model
 * the regions serve; 222222222222 Sandbox has no access to Claude Sonnet 4.6; 333333333333
 * Governed has gpt-oss-20b denied by an SCP and the enforced account guardrail gr-user:1;
 * eu-west-1 does not serve Nova Micro; Nova 2 Lite has arrived in us-east-1 only.
 */
import type { Api, Endpoint } from '../../../../lambda/core/model';
import type {
  FactKind,
  MemberRecord,
  OrgAccess,
  OrgAccount,
  OrgApiCell,
  OrgCell,
} from '../../../../lambda/core/org/types';

export const PLATFORM = '111111111111';
export const SANDBOX = '222222222222';
export const GOVERNED = '333333333333';
export const REGIONS = ['us-east-1', 'eu-west-1'] as const;

export const SONNET = 'anthropic.claude-sonnet-4-6';
export const GPT_OSS = 'openai.gpt-oss-20b';
export const NOVA_MICRO = 'amazon.nova-micro-v1:0';
export const NOVA_LITE = 'amazon.nova-2-lite-v1:0';

export const NOW = new Date('2026-12-01T12:00:00.000Z');
/** memberStaleAfterMinutes(): two missed heartbeats plus a tick. */
export const STALE_AFTER_MS = 65 * 60_000;

export const NOT_AUTHORIZED = 'GetFoundationModelAvailability authorizationStatus NOT_AUTHORIZED';
export const SCP_DENY =
  'AccessDeniedException: User: arn:aws:sts::333333333333:assumed-role/bedrock-matrix-member/prober is not authorized to perform: bedrock:InvokeModel with an explicit deny in a service control policy';
export const NOT_SERVED = 'the region does not serve it';

export const ACCOUNTS: readonly OrgAccount[] = [
  { id: PLATFORM, name: 'Platform', ou: { id: 'ou-root-platform', name: 'Platform' } },
  { id: SANDBOX, name: 'Sandbox', ou: { id: 'ou-root-sandbox', name: 'Sandbox' } },
  { id: GOVERNED, name: 'Governed', ou: { id: 'ou-root-workloads', name: 'Workloads' } },
];

/** Which apis each model answers where it is served (the region facts). */
const MODEL_APIS: Readonly<Record<string, readonly (readonly [Endpoint, Api])[]>> = {
  [SONNET]: [
    ['runtime', 'converse'],
    ['runtime', 'invoke'],
    ['mantle', 'messages'],
  ],
  [GPT_OSS]: [
    ['runtime', 'converse'],
    ['runtime', 'chat'],
    ['mantle', 'chat'],
    ['mantle', 'responses'],
  ],
  [NOVA_MICRO]: [
    ['runtime', 'converse'],
    ['runtime', 'invoke'],
  ],
  [NOVA_LITE]: [
    ['runtime', 'converse'],
    ['runtime', 'invoke'],
  ],
};

const AT = '2026-12-01T11:55:00.000Z';

/** One org cell whose every api has the model's access and reason, unless `apis` says otherwise. */
export const orgCell = (
  model: string,
  region: string,
  account: string,
  access: OrgAccess,
  opts: {
    readonly reason?: string;
    readonly fact?: FactKind;
    readonly apis?: readonly OrgApiCell[];
    readonly enforced?: readonly string[];
    readonly lastVerified?: string;
  } = {},
): OrgCell => {
  const reason = opts.reason ?? (access === 'usable' ? 'region fact: supported' : '');
  const fact = opts.fact ?? 'region';
  return {
    model,
    region,
    account,
    access,
    reason,
    fact,
    apis:
      opts.apis ??
      (MODEL_APIS[model] ?? []).map(([endpoint, api]) => ({ endpoint, api, access, reason, fact })),
    enforced: opts.enforced ?? (account === GOVERNED ? ['gr-user:1'] : []),
    firstSeen: '2026-11-20T08:00:00.000Z',
    lastChanged: '2026-11-28T09:30:00.000Z',
    lastVerified: opts.lastVerified ?? AT,
    evidence: `event:${account}-${region}-2026-12-01T11:55`,
  };
};

const cellsOf = (region: string): OrgCell[] => {
  const out: OrgCell[] = [];
  for (const account of [PLATFORM, SANDBOX, GOVERNED]) {
    if (account === SANDBOX)
      out.push(orgCell(SONNET, region, account, 'no-access', { reason: NOT_AUTHORIZED, fact: 'account' }));
    else if (region === 'eu-west-1')
      // eu-west-1 serves Sonnet on the runtime only: its mantle messages is not offered there.
      out.push(
        orgCell(SONNET, region, account, 'usable', {
          apis: [
            {
              endpoint: 'runtime',
              api: 'converse',
              access: 'usable',
              reason: 'region fact: supported',
              fact: 'region',
            },
            {
              endpoint: 'runtime',
              api: 'invoke',
              access: 'usable',
              reason: 'region fact: supported',
              fact: 'region',
            },
            {
              endpoint: 'mantle',
              api: 'messages',
              access: 'not-offered',
              reason: 'not-found on mantle',
              fact: 'region',
            },
          ],
        }),
      );
    else out.push(orgCell(SONNET, region, account, 'usable'));
    out.push(
      account === GOVERNED
        ? orgCell(GPT_OSS, region, account, 'denied', { reason: SCP_DENY, fact: 'probe' })
        : orgCell(GPT_OSS, region, account, 'usable'),
    );
    out.push(
      region === 'eu-west-1'
        ? orgCell(NOVA_MICRO, region, account, 'not-offered', { reason: NOT_SERVED })
        : orgCell(NOVA_MICRO, region, account, 'usable'),
    );
    if (region === 'us-east-1') out.push(orgCell(NOVA_LITE, region, account, 'usable'));
  }
  return out;
};

export const CELLS: readonly OrgCell[] = REGIONS.flatMap(cellsOf);

const member = (account: string, region: string, lastEvent: string): MemberRecord => ({
  account,
  region,
  role: account === PLATFORM ? 'probe' : 'member',
  lastEvent,
  lastEventId: `${account}-${region}-${lastEvent}`,
});

/** Every member reported in the last 5 minutes but Governed in eu-west-1 (3 hours ago). */
export const STALE_EVENT = '2026-12-01T09:00:00.000Z';
export const MEMBERS: readonly MemberRecord[] = REGIONS.flatMap((region) =>
  [PLATFORM, SANDBOX, GOVERNED].map((account) =>
    member(account, region, account === GOVERNED && region === 'eu-west-1' ? STALE_EVENT : AT),
  ),
);
