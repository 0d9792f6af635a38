import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SETTING_LIST } from '../../lambda/shared/settings';
import {
  CONTEXT_KEYS,
  CONTEXT_SETTINGS,
  ConfigError,
  PROBER_ENV_SETTINGS,
  readConfig,
  schedulePeriod,
} from '../../lib/config';
import { thrownBy } from '../support/rejection';

/** A context source holding exactly the given keys, as `-c key=value` would. */
const context = (values: Record<string, unknown>) => ({
  tryGetContext: (key: string): unknown => values[key],
});

const errorOf = (fn: () => unknown): ConfigError => thrownBy(fn, ConfigError);

describe('readConfig', () => {
  it('applies the documented defaults when no context is set', () => {
    // Prepare
    const source = context({});

    // Act
    const config = readConfig(source);

    // Assess
    expect(config).toEqual({
      regions: ['us-east-1'],
      home: 'us-east-1',
      schedule: 'rate(1 day)',
      sentinelSchedule: 'rate(5 minutes)',
      sentinelPeriodMinutes: 5,
      alarmEmails: [],
      includeModels: [],
      excludeModels: [],
      apis: [],
      maxTokens: 16,
      concurrency: 8,
      perModelConcurrency: 2,
      canary: 'BMX-CANARY-7F3A9C',
      historyTtlDays: 90,
      confirmCount: 2,
      noticeDays: 30,
      maxCalls: 0,
      maxRunTokens: 0,
      probeTimeoutMs: 20_000,
      dependencyTimeoutMs: 10_000,
      mantleFirstCallTimeoutMs: 120_000,
      maxAnswerMb: 4,
      subscribeModels: false,
      reservedConcurrency: undefined,
    });
  });

  it('takes every setting a scheduled run needs, the opt-ins included', () => {
    // Prepare
    const source = context({
      maxRunTokens: '200000',
      dependencyTimeoutMs: 5000,
      mantleFirstCallTimeoutMs: '90000',
      maxAnswerMb: '8',
      probeTimeoutMs: 30000,
      subscribeModels: 'true',
      reservedConcurrency: 1,
      maxCalls: 500000,
    });

    // Act
    const config = readConfig(source);

    // Assess
    expect(config).toMatchObject({
      maxRunTokens: 200_000,
      dependencyTimeoutMs: 5000,
      mantleFirstCallTimeoutMs: 90_000,
      maxAnswerMb: 8,
      probeTimeoutMs: 30_000,
      subscribeModels: true,
      reservedConcurrency: 1,
      maxCalls: 500_000,
    });
  });

  it('parses comma lists and numeric strings as given on the command line', () => {
    // Prepare
    const source = context({
      regions: 'us-east-1, eu-west-1,us-east-1',
      alarmEmails: 'ops@example.com,oncall@example.org',
      includeModels: 'openai.*,anthropic.claude-*',
      excludeModels: '*-legacy',
      apis: 'chat,responses',
      maxTokens: '32',
      concurrency: 4,
      perModelConcurrency: '3',
      historyTtlDays: '30',
      schedule: 'cron(15 */2 * * ? *)',
    });

    // Act
    const config = readConfig(source);

    // Assess
    expect(config.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(config.alarmEmails).toEqual(['ops@example.com', 'oncall@example.org']);
    expect(config.includeModels).toEqual(['openai.*', 'anthropic.claude-*']);
    expect(config.excludeModels).toEqual(['*-legacy']);
    expect(config.apis).toEqual(['chat', 'responses']);
    expect(config.maxTokens).toBe(32);
    expect(config.concurrency).toBe(4);
    expect(config.perModelConcurrency).toBe(3);
    expect(config.historyTtlDays).toBe(30);
    expect(schedulePeriod(config.schedule)).toBe(120);
  });

  it('lets the sentinel tick from every minute to every hour, apart from the full sweep', () => {
    // Act
    const fastest = readConfig(context({ sentinelSchedule: 'rate(1 minute)' }));
    const hourly = readConfig(context({ sentinelSchedule: 'rate(1 hour)', schedule: 'rate(15 minutes)' }));
    const cron = readConfig(context({ sentinelSchedule: 'cron(0/10 * * * ? *)' }));

    // Assess
    expect([fastest.sentinelPeriodMinutes, hourly.sentinelPeriodMinutes, cron.sentinelPeriodMinutes]).toEqual(
      [1, 60, 10],
    );
    expect(hourly.schedule).toBe('rate(15 minutes)');
  });

  it('puts home in the first region unless told, and anywhere Bedrock runs when told', () => {
    // Act
    const first = readConfig(context({ regions: 'eu-west-1,us-west-2' }));
    const chosen = readConfig(context({ regions: 'eu-west-1,us-west-2', home: ' us-west-2 ' }));
    const elsewhere = readConfig(context({ regions: 'eu-west-1', home: 'us-east-1' }));
    const blank = readConfig(context({ regions: 'eu-west-1', home: '' }));

    // Assess
    expect([first.home, chosen.home, elsewhere.home, blank.home]).toEqual([
      'eu-west-1',
      'us-west-2',
      'us-east-1',
      'eu-west-1',
    ]);
  });

  it.each([
    [
      { home: 'us-east-9' },
      'Invalid context "home": "us-east-9" is not an AWS region where Amazon Bedrock runs',
    ],
    [
      { regions: 'us-east-9' },
      'Invalid context "regions": "us-east-9" is not an AWS region where Amazon Bedrock runs',
    ],
    [
      { regions: 'us-east-1,useast1' },
      'Invalid context "regions": "useast1" is not an AWS region name (e.g. us-east-1)',
    ],
    [{ regions: ' , ' }, 'Invalid context "regions": " , " names no region'],
    [
      { schedule: 'every hour' },
      'Invalid context "schedule": "every hour" is not a schedule expression (rate(N unit) or cron(6 fields))',
    ],
    [
      { schedule: 'rate(5 minutes)' },
      'Invalid context "schedule": "rate(5 minutes)" runs every 5 minutes; allowed is 15 minutes to 1 day',
    ],
    [
      { schedule: 'rate(2 days)' },
      'Invalid context "schedule": "rate(2 days)" runs every 2880 minutes; allowed is 15 minutes to 1 day',
    ],
    [
      { schedule: 'rate(1 hours)' },
      'Invalid context "schedule": "rate(1 hours)" is not a valid rate expression',
    ],
    [
      { schedule: 'cron(0 12 * * MON-FRI *)' },
      'Invalid context "schedule": "cron(0 12 * * MON-FRI *)" is not a schedule expression (rate(N unit) or cron(6 fields))',
    ],
    [
      { schedule: 'cron(0 12 ? * MON-FRI *)' },
      'Invalid context "schedule": "cron(0 12 ? * MON-FRI *)" must run every day (day-of-month, month, day-of-week and year fields * or ?)',
    ],
    [
      { sentinelSchedule: 'rate(2 hours)' },
      'Invalid context "sentinelSchedule": "rate(2 hours)" runs every 120 minutes; allowed is 1 minute to 1 hour',
    ],
    [
      { sentinelSchedule: 'rate(30 seconds)' },
      'Invalid context "sentinelSchedule": "rate(30 seconds)" is not a schedule expression (rate(N unit) or cron(6 fields))',
    ],
    [
      { sentinelSchedule: 'rate(1 minutes)' },
      'Invalid context "sentinelSchedule": "rate(1 minutes)" is not a valid rate expression',
    ],
    [
      { sentinelSchedule: 'cron(0/5 * ? * MON-FRI *)' },
      'Invalid context "sentinelSchedule": "cron(0/5 * ? * MON-FRI *)" must run every day (day-of-month, month, day-of-week and year fields * or ?)',
    ],
    [
      { alarmEmails: 'ops@example.com,not-an-email' },
      'Invalid context "alarmEmails": "not-an-email" is not an e-mail address',
    ],
    [{ maxTokens: '0' }, 'Invalid context "maxTokens": 0 is out of range (1 to 4096)'],
    [{ maxTokens: 5000 }, 'Invalid context "maxTokens": 5000 is out of range (1 to 4096)'],
    [{ concurrency: '8.5' }, 'Invalid context "concurrency": "8.5" is not a whole number'],
    [{ concurrency: 65 }, 'Invalid context "concurrency": 65 is out of range (1 to 64)'],
    [{ perModelConcurrency: 0 }, 'Invalid context "perModelConcurrency": 0 is out of range (1 to 16)'],
    [{ perModelConcurrency: 17 }, 'Invalid context "perModelConcurrency": 17 is out of range (1 to 16)'],
    [{ historyTtlDays: 'ninety' }, 'Invalid context "historyTtlDays": "ninety" is not a whole number'],
    [{ historyTtlDays: 4000 }, 'Invalid context "historyTtlDays": 4000 is out of range (1 to 3650)'],
    [{ maxCalls: 2_000_000 }, 'Invalid context "maxCalls": 2000000 is out of range (0 to 1000000)'],
    [
      { dependencyTimeoutMs: 50 },
      'Invalid context "dependencyTimeoutMs": 50 is out of range (100 to 120000)',
    ],
    [
      { mantleFirstCallTimeoutMs: 700000 },
      'Invalid context "mantleFirstCallTimeoutMs": 700000 is out of range (1000 to 600000)',
    ],
    [{ subscribeModels: 'yes' }, 'Invalid context "subscribeModels": "yes" is not true or false'],
    [{ reservedConcurrency: 0 }, 'Invalid context "reservedConcurrency": 0 is out of range (1 to 1000)'],
    [
      { includeModels: 'openai.*,bad glob' },
      'Invalid context "includeModels": "bad glob" is not a model glob (letters, digits, . - _ : and * ? only)',
    ],
    [
      { apis: 'chat,completions' },
      'Invalid context "apis": unknown api "completions" (expected converse, invoke, chat, responses, messages)',
    ],
    [
      { canary: 'x' },
      'Invalid context "canary": "x" must be 6-100 letters, digits, spaces, _ or -, starting with a letter or digit',
    ],
  ])('rejects %j with one line naming the key and the value', (values, message) => {
    // Prepare
    const source = context(values);

    // Act
    const error = errorOf(() => readConfig(source));

    // Assess
    expect(error.message).toBe(message);
    expect(error.message).not.toContain('\n');
  });
});

describe('cdk.json', () => {
  it('sets only known context keys, and its values are the spec defaults', () => {
    // Prepare
    const json = JSON.parse(readFileSync(fileURLToPath(new URL('../../cdk.json', import.meta.url)), 'utf8'));
    const ours = Object.fromEntries(
      Object.entries(json.context as Record<string, unknown>).filter(([k]) => !k.startsWith('@')),
    );

    // Act
    const fromFile = readConfig(context(ours));
    const fromDefaults = readConfig(context({}));

    // Assess
    for (const key of Object.keys(ours)) expect(CONTEXT_KEYS, key).toContain(key);
    expect(fromFile).toEqual(fromDefaults);
  });
});

describe('schedulePeriod', () => {
  it.each([
    ['rate(1 hour)', 60],
    ['rate(15 minutes)', 15],
    ['rate(1 day)', 1440],
    ['cron(0 * * * ? *)', 60],
    ['cron(0 6 * * ? *)', 1440],
    ['cron(0 6,18 * * ? *)', 720],
    ['cron(0 8-20/4 * * ? *)', 720],
    ['cron(0,30 * ? * * *)', 30],
  ])('gives %s a longest gap of %i minutes', (expression, minutes) => {
    // Prepare
    const input = expression;

    // Act
    const period = schedulePeriod(input);

    // Assess
    expect(period).toBe(minutes);
  });
});

describe('the settings the CDK app passes on', () => {
  it('reads every setting the spec gives a context key, and hands the prober every one with a variable', () => {
    // Act
    const withContext = SETTING_LIST.filter((s) => s.context).map((s) => s.key);
    const withBoth = SETTING_LIST.filter((s) => s.context && s.env).map((s) => s.key);

    // Assess
    expect([...CONTEXT_SETTINGS]).toEqual(withContext);
    expect([...PROBER_ENV_SETTINGS]).toEqual(withBoth);
  });
});
