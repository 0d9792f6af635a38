import { readFileSync } from 'node:fs';
import { parseSetting, regionProblem } from '../../lambda/shared/settings';
import { ConfigError } from '../config';

/** Who creates the StackSet: the delegated administrator (the usual case) or the management account itself. */
export const CALL_AS = ['DELEGATED_ADMIN', 'SELF'] as const;
export type CallAs = (typeof CALL_AS)[number];

/**
 * An organization deployment (docs/organization.md), read from the JSON file named by
 * `-c org=<file>`: where the home lives, which OUs and regions get the member stack, which
 * account measures each region's facts. Every other setting (schedules, models, budgets) still
 * comes from context, as for a single account.
 */
export interface OrgConfig {
  /** The file it was read from, as given (relative to the working directory). */
  readonly source: string;
  /** `o-` and 10 to 32 letters or digits; the bus and the code buckets accept this organization only. */
  readonly organizationId: string;
  /** The monitoring (delegated administrator) account and its region: the home stack and the org bus. */
  readonly home: { readonly account: string; readonly region: string };
  readonly targets: {
    /** OU ids (`ou-...`) or the root (`r-...`): every account below gets the member stack. */
    readonly organizationalUnitIds: readonly string[];
    /** Bedrock regions a member stack is deployed to; each needs a probe account. */
    readonly regions: readonly string[];
  };
  /** The account that measures the region facts (the full matrix), per target region. */
  readonly probeAccounts: Readonly<Record<string, string>>;
  /** Accounts that run the full matrix too, in every target region. @default [] */
  readonly fullMatrixAccounts: readonly string[];
  /** @default 'DELEGATED_ADMIN' */
  readonly callAs: CallAs;
  /** Subscribers of the alerts and ops topics; absent: the `alarmEmails` context setting. */
  readonly alarmEmails?: readonly string[];
}

/** A bad organization file: one line naming the file, the key path and the value. */
export class OrgConfigError extends ConfigError {
  constructor(source: string, path: string, value: unknown, reason: string) {
    super(`org:${path}`, value, reason);
    this.message = `Invalid org config ${source}: "${path}" ${reason}`;
    this.name = 'OrgConfigError';
  }
}

const KEYS = [
  'organizationId',
  'home',
  'targets',
  'probeAccounts',
  'fullMatrixAccounts',
  'callAs',
  'alarmEmails',
] as const;
const ORG_ID = /^o-[a-z0-9]{10,32}$/;
const ACCOUNT = /^\d{12}$/;
// Organizations' own patterns for an OU id and a root id (API_OrganizationalUnit, API_Root).
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
const ROOT_ID = /^r-[0-9a-z]{4,32}$/;

/** Reads `-c org=<file>` (relative to the working directory) and checks every value. */
export const readOrgConfig = (file: string): OrgConfig => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError('org', file, `cannot read ${JSON.stringify(file)} (${(error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError('org', file, `${JSON.stringify(file)} is not JSON (${(error as Error).message})`);
  }
  return parseOrgConfig(json, file);
};

/** Checks a parsed organization file; throws {@link OrgConfigError} at the first bad value, in file order. */
export const parseOrgConfig = (json: unknown, source: string): OrgConfig => {
  const fail = (path: string, value: unknown, reason: string): never => {
    throw new OrgConfigError(source, path, value, reason);
  };
  const show = (value: unknown): string => JSON.stringify(value) ?? String(value);
  const object = (
    path: string,
    value: unknown,
    keys: readonly string[],
    unknown = `is not a known key (expected ${keys.join(', ')})`,
  ): Record<string, unknown> => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return fail(path, value, `${show(value)} is not an object`);
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) fail(`${path ? `${path}.` : ''}${key}`, key, unknown);
    }
    return value as Record<string, unknown>;
  };
  const string = (path: string, value: unknown, pattern: RegExp, what: string): string => {
    if (typeof value !== 'string' || !pattern.test(value))
      return fail(path, value, `${show(value)} is not ${what}`);
    return value;
  };
  const list = (path: string, value: unknown, { empty }: { empty: boolean }): readonly unknown[] => {
    if (!Array.isArray(value)) return fail(path, value, `${show(value)} is not a list`);
    if (!empty && value.length === 0) fail(path, value, 'is empty');
    const seen = new Set<string>();
    value.forEach((item, i) => {
      if (seen.has(show(item))) fail(`${path}[${i}]`, item, `${show(item)} is listed twice`);
      seen.add(show(item));
    });
    return value;
  };
  const region = (path: string, value: unknown): string => {
    const problem = typeof value === 'string' ? regionProblem(value) : 'is not a string';
    if (problem !== undefined) fail(path, value, `${show(value)} ${problem}`);
    return value as string;
  };
  const account = (path: string, value: unknown): string =>
    string(path, value, ACCOUNT, 'an AWS account id (12 digits, as a string)');

  const root = object('', json, KEYS);
  const organizationId = string(
    'organizationId',
    root.organizationId,
    ORG_ID,
    'an organization id (o- and 10 to 32 lower-case letters or digits)',
  );
  const homeJson = object('home', root.home, ['account', 'region']);
  const home = {
    account: account('home.account', homeJson.account),
    region: region('home.region', homeJson.region),
  };

  const targetsJson = object('targets', root.targets, ['organizationalUnitIds', 'regions']);
  const organizationalUnitIds = list('targets.organizationalUnitIds', targetsJson.organizationalUnitIds, {
    empty: false,
  }).map((ou, i) => {
    const path = `targets.organizationalUnitIds[${i}]`;
    if (typeof ou === 'string' && (OU_ID.test(ou) || ROOT_ID.test(ou))) return ou;
    return fail(path, ou, `${show(ou)} is not an OU id (ou-xxxx-yyyyyyyy) or a root id (r-xxxx)`);
  });
  const regions = list('targets.regions', targetsJson.regions, { empty: false }).map((r, i) =>
    region(`targets.regions[${i}]`, r),
  );

  // A region no member is deployed to would have a probe account that never probes: a slip.
  const probeJson = object('probeAccounts', root.probeAccounts, regions, 'is not a target region');
  const probeAccounts: Record<string, string> = {};
  for (const r of regions) {
    if (!(r in probeJson))
      fail(`probeAccounts.${r}`, undefined, 'is missing: every target region needs a probe account');
    probeAccounts[r] = account(`probeAccounts.${r}`, probeJson[r]);
  }

  const fullMatrixAccounts = (
    root.fullMatrixAccounts === undefined
      ? []
      : list('fullMatrixAccounts', root.fullMatrixAccounts, { empty: true })
  ).map((a, i) => account(`fullMatrixAccounts[${i}]`, a));

  const callAs = root.callAs ?? 'DELEGATED_ADMIN';
  if (!(CALL_AS as readonly unknown[]).includes(callAs))
    fail('callAs', callAs, `${show(callAs)} is not one of ${CALL_AS.join(', ')}`);

  let alarmEmails: readonly string[] | undefined;
  if (root.alarmEmails !== undefined) {
    const emails = list('alarmEmails', root.alarmEmails, { empty: true });
    emails.forEach((e, i) => {
      // The setting's own parser, one address at a time (it reads a comma list).
      const parsed = typeof e === 'string' && !e.includes(',') ? parseSetting('alarmEmails', e) : undefined;
      if (!parsed?.ok || parsed.value.length !== 1)
        fail(`alarmEmails[${i}]`, e, `${show(e)} is not an e-mail address`);
    });
    alarmEmails = emails as string[];
  }

  return {
    source,
    organizationId,
    home,
    targets: { organizationalUnitIds, regions },
    probeAccounts,
    fullMatrixAccounts,
    callAs: callAs as CallAs,
    ...(alarmEmails === undefined ? {} : { alarmEmails }),
  };
};
