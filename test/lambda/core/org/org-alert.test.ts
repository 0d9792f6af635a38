import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrgAlert, groupOrgChanges } from '../../../../lambda/core/org/org-alert';
import type { PendingOrgChange } from '../../../../lambda/core/org/ports';
import type { OrgChange } from '../../../../lambda/core/org/types';
import { registerSecretsFromEnv } from '../../../../lambda/core/scrub';
import { ALERT_ATTRIBUTES } from '../../../../lambda/shared/names';
import { ECHOED_SHAPES, PLANTED_ENV, plantedSecretIn } from '../../../support/planted-secrets';
import { ACCOUNTS, GOVERNED, PLATFORM, SANDBOX, SONNET } from './org-fixture';

const AT = '2026-12-01T10:00:00.000Z';
const ALERT_AT = '2026-12-01T10:05:00.000Z';
const REGIONS = ['us-east-1', 'eu-west-1'];
const NOT_AUTHORIZED = 'GetFoundationModelAvailability authorizationStatus NOT_AUTHORIZED';

const change = (over: Partial<OrgChange> = {}): OrgChange => ({
  model: SONNET,
  region: 'us-east-1',
  account: SANDBOX,
  from: 'usable',
  to: 'no-access',
  reason: NOT_AUTHORIZED,
  at: AT,
  apis: ['runtime/converse: usable -> no-access'],
  ...over,
});

const accountId = (i: number) => String(100_000_000_000 + i);

/** The outbox after `model` moved the same way in `accounts` accounts x `regions` regions, oldest first. */
const outbox = (accounts: number, regions: readonly string[], over: Partial<OrgChange> = {}) => {
  const pending: PendingOrgChange[] = [];
  for (let i = 0; i < accounts; i++)
    for (const region of regions)
      pending.push({
        id: `change-${i}-${region}`,
        change: change({ account: accountId(i), region, ...over }),
      });
  return pending;
};

/** The bodies of the SNS message structure. */
const bodiesOf = (message: string) =>
  JSON.parse(message) as { default: string; email: string; sqs: string; lambda: string };

describe('groupOrgChanges', () => {
  it('groups one model moving the same way in 12 accounts x 2 regions into one group, keeping every id', () => {
    // Prepare
    const pending = outbox(12, REGIONS);

    // Act
    const groups = groupOrgChanges(pending);

    // Assess
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ model: SONNET, from: 'usable', to: 'no-access' });
    expect(groups[0]?.ids).toEqual(pending.map((p) => p.id));
    expect(groups[0]?.changes).toHaveLength(24);
  });

  it('lists a group by region, then account', () => {
    // Prepare
    const pending = [
      { id: 'a', change: change({ region: 'us-east-1', account: GOVERNED }) },
      { id: 'b', change: change({ region: 'eu-west-1', account: SANDBOX }) },
      { id: 'c', change: change({ region: 'us-east-1', account: PLATFORM }) },
    ];

    // Act
    const [group] = groupOrgChanges(pending);

    // Assess
    expect(group?.changes.map((c) => `${c.region} ${c.account}`)).toEqual([
      `eu-west-1 ${SANDBOX}`,
      `us-east-1 ${PLATFORM}`,
      `us-east-1 ${GOVERNED}`,
    ]);
    expect(group?.ids).toEqual(['a', 'b', 'c']);
  });

  it('makes two groups of two moves of one model, and of one move of two models, oldest first', () => {
    // Prepare
    const pending = [
      { id: 'lost', change: change() },
      { id: 'denied', change: change({ to: 'denied', account: GOVERNED }) },
      { id: 'lost-too', change: change({ account: PLATFORM }) },
      { id: 'other-model', change: change({ model: 'openai.gpt-oss-20b' }) },
      { id: 'arrived', change: change({ from: null, to: 'usable' }) },
    ];

    // Act
    const groups = groupOrgChanges(pending);

    // Assess
    expect(groups.map((g) => [g.model, g.from, g.to, g.ids])).toEqual([
      [SONNET, 'usable', 'no-access', ['lost', 'lost-too']],
      [SONNET, 'usable', 'denied', ['denied']],
      ['openai.gpt-oss-20b', 'usable', 'no-access', ['other-model']],
      [SONNET, null, 'usable', ['arrived']],
    ]);
  });
});

describe('buildOrgAlert', () => {
  it('names the model, the move, and how many accounts and regions in its subject', () => {
    // Prepare
    const [group] = groupOrgChanges(outbox(12, REGIONS));

    // Act
    const alert = buildOrgAlert(group!, [], ALERT_AT);

    // Assess
    expect(alert.subject).toBe(`bedrock-matrix: ${SONNET} usable -> no-access in 12 accounts, 2 regions`);
  });

  it('says new for an arrival and counts one account and one region in the singular', () => {
    // Prepare
    const [group] = groupOrgChanges([{ id: 'x', change: change({ from: null, to: 'usable' }) }]);

    // Act
    const alert = buildOrgAlert(group!, [], ALERT_AT);

    // Assess
    expect(alert.subject).toBe(`bedrock-matrix: ${SONNET} new -> usable in 1 account, 1 region`);
  });

  it('keeps the subject within 100 printable ASCII characters and keeps the counts when the model key is long', () => {
    // Prepare
    const model = 'anthropic.claude-3-7-sonnet-20250219';
    const [group] = groupOrgChanges(
      outbox(
        30,
        Array.from({ length: 20 }, (_, i) => `region-${i}-1`),
        { model, to: 'not-offered' },
      ),
    );
    const [foreign] = groupOrgChanges([{ id: 'x', change: change({ model: 'vendor.modèle-\u0007-été' }) }]);

    // Act
    const long = buildOrgAlert(group!, [], ALERT_AT).subject;
    const odd = buildOrgAlert(foreign!, [], ALERT_AT).subject;

    // Assess
    for (const subject of [long, odd]) {
      expect(subject.length).toBeLessThanOrEqual(100);
      expect(subject).toMatch(/^[\x20-\x7e]+$/);
    }
    expect(long).toMatch(
      /^bedrock-matrix: anthropic\.claude-3-7-sonnet-2.*usable -> not-offered in 30 accounts, 20 regions$/,
    );
    expect(odd).toContain('usable -> no-access in 1 account, 1 region');
  });

  it('names each account in the email body with its Organizations name and OU, by region', () => {
    // Prepare
    const [group] = groupOrgChanges([
      { id: 'a', change: change({ account: SANDBOX, region: 'us-east-1' }) },
      { id: 'b', change: change({ account: GOVERNED, region: 'eu-west-1', apis: [] }) },
      { id: 'c', change: change({ account: '444444444444', region: 'us-east-1' }) },
    ]);

    // Act
    const alert = buildOrgAlert(group!, ACCOUNTS, ALERT_AT);

    // Assess
    const { email, default: text } = bodiesOf(alert.message);
    expect(text).toBe(email);
    expect(email.split('\n')).toEqual([
      `bedrock-matrix organization change, ${ALERT_AT}:`,
      `${SONNET}: usable -> no-access in 3 accounts (eu-west-1, us-east-1)`,
      `- eu-west-1 Governed (${GOVERNED}, Workloads): ${NOT_AUTHORIZED}`,
      `- us-east-1 Sandbox (${SANDBOX}, Sandbox): ${NOT_AUTHORIZED} [runtime/converse: usable -> no-access]`,
      `- us-east-1 444444444444: ${NOT_AUTHORIZED} [runtime/converse: usable -> no-access]`,
    ]);
  });

  it('gives programs the changes as JSON, and a severity and count to filter on', () => {
    // Prepare
    const [lost] = groupOrgChanges(outbox(2, REGIONS));
    const [arrived] = groupOrgChanges([{ id: 'x', change: change({ from: null, to: 'usable' }) }]);

    // Act
    const alert = buildOrgAlert(lost!, ACCOUNTS, ALERT_AT);
    const good = buildOrgAlert(arrived!, ACCOUNTS, ALERT_AT);

    // Assess
    const { sqs, lambda } = bodiesOf(alert.message);
    expect(lambda).toBe(sqs);
    expect(JSON.parse(sqs)).toMatchObject({ model: SONNET, from: 'usable', to: 'no-access' });
    expect(JSON.parse(sqs).changes).toEqual(lost!.changes);
    expect(alert.messageStructure).toBe('json');
    expect(alert.attributes).toEqual({
      [ALERT_ATTRIBUTES.severity]: { DataType: 'String', StringValue: 'high' },
      [ALERT_ATTRIBUTES.changeCount]: { DataType: 'Number', StringValue: '4' },
    });
    expect(good.attributes[ALERT_ATTRIBUTES.severity]?.StringValue).toBe('low');
  });

  it('stays under the SNS message limit for a model retired in 30 accounts x 20 regions, saying what it left out', () => {
    // Prepare
    const regions = Array.from({ length: 20 }, (_, i) => `region-${i}-1`);
    const [group] = groupOrgChanges(
      outbox(30, regions, {
        to: 'not-offered',
        reason: `the region does not serve it (not-found: ${'ResourceNotFoundException: Model not found. '.repeat(6)})`,
        apis: ['runtime/converse: usable -> not-offered', 'runtime/invoke: usable -> not-offered'],
      }),
    );

    // Act
    const alert = buildOrgAlert(group!, [], ALERT_AT);

    // Assess
    expect(Buffer.byteLength(alert.message)).toBeLessThan(256 * 1024);
    const { email, sqs } = bodiesOf(alert.message);
    expect(email).toContain('not-offered in 30 accounts');
    expect(email).toMatch(/\.\.\. and \d+ more not listed here/);
    expect(JSON.parse(sqs)).toMatchObject({ changeCount: 600, truncated: true });
    expect(alert.attributes[ALERT_ATTRIBUTES.changeCount]?.StringValue).toBe('600');
  });
});

describe('buildOrgAlert with secrets in a reason', () => {
  let forget: () => void;
  beforeAll(() => {
    // The home registers its own credentials at start, as the CLI and the functions do.
    forget = registerSecretsFromEnv(PLANTED_ENV);
  });
  afterAll(() => forget());

  it('lets no planted secret reach the subject or any body', () => {
    // Prepare
    const [group] = groupOrgChanges(
      ECHOED_SHAPES.map((shape, i) => ({
        id: `s${i}`,
        change: change({ account: accountId(i), reason: `AccessDeniedException: ${shape}`, apis: [shape] }),
      })),
    );

    // Act
    const alert = buildOrgAlert(group!, ACCOUNTS, ALERT_AT);

    // Assess
    const everything = [alert.subject, alert.message, ...Object.values(bodiesOf(alert.message))].join('\n');
    expect(plantedSecretIn(everything)).toBeNull();
    expect(everything).toContain('[redacted]');
  });
});
