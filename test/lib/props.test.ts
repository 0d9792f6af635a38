import { Duration, Stack } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { HealthAlarmFactory } from '../../lib/alarm-factory';
import { AlertsTopic } from '../../lib/alerts-topic';
import { ConfigError } from '../../lib/config';
import { HomeFunction, type HomeFunctionProps } from '../../lib/home-function';
import { MatrixWidget } from '../../lib/matrix-widget';
import { ProbeGuardrail } from '../../lib/probe-guardrail';
import { ProberFunction, type ProberFunctionProps } from '../../lib/prober-function';
import { ProberSchedule } from '../../lib/prober-schedule';
import { InvalidPropError } from '../../lib/props';
import { standInFunction, testApp } from '../support/cdk';
import { thrownBy } from '../support/rejection';

/** A fresh stack per case, so a construct that throws leaves nothing behind for the next. */
const stack = (): Stack => new Stack(testApp(), 'Test', { env: { region: 'eu-west-1' } });

const table = (s: Stack) =>
  new TableV2(s, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING } });

const homeProps = (s: Stack, more: Partial<HomeFunctionProps>): HomeFunctionProps => ({
  table: table(s),
  topic: new Topic(s, 'Topic'),
  regions: ['eu-west-1'],
  staleAfterMinutes: 130,
  ...more,
});

const proberProps = (_s: Stack, more: Partial<ProberFunctionProps>): ProberFunctionProps => ({
  tableRegion: 'us-east-1',
  guardrail: {
    guardrailId: 'g',
    guardrailArn: 'arn:aws:bedrock:eu-west-1:1:guardrail/g',
    guardrailVersion: '1',
  },
  ...more,
});

describe('construct props are checked at synth time, naming the construct, the prop and the value', () => {
  it.each([
    [
      'a prober setting out of the spec’s bounds',
      (s: Stack) => new ProberFunction(s, 'Prober', proberProps(s, { maxTokens: 0 })),
      'ProberFunction: maxTokens 0 is invalid',
    ],
    [
      'an unknown api',
      (s: Stack) => new ProberFunction(s, 'Prober', proberProps(s, { apis: ['telepathy' as 'chat'] })),
      'ProberFunction: apis ["telepathy"] is invalid',
    ],
    [
      'a prober memory size Lambda cannot give',
      (s: Stack) => new ProberFunction(s, 'Prober', proberProps(s, { memorySize: 64 })),
      'ProberFunction: memorySize 64 is not a whole number from 128 to 10240',
    ],
    [
      'a prober timeout above Lambda’s 15 minutes',
      (s: Stack) => new ProberFunction(s, 'Prober', proberProps(s, { timeout: Duration.minutes(20) })),
      'ProberFunction: timeout "20 minutes" is out of range',
    ],
    [
      'a widget timeout longer than a dashboard waits',
      (s: Stack) =>
        new MatrixWidget(s, 'Widget', {
          table: table(s),
          regions: ['eu-west-1'],
          timeout: Duration.minutes(2),
        }),
      'MatrixWidget: timeout "2 minutes" is out of range',
    ],
    [
      'a home region where Bedrock does not run',
      (s: Stack) => new ProberFunction(s, 'Prober', proberProps(s, { tableRegion: 'us-east-9' })),
      'ProberFunction: home "us-east-9" is invalid',
    ],
    [
      'a home function watching no region',
      (s: Stack) => new HomeFunction(s, 'Home', homeProps(s, { regions: [] })),
      'HomeFunction: regions [] names no region',
    ],
    [
      'a home function with a stale threshold of zero',
      (s: Stack) => new HomeFunction(s, 'Home', homeProps(s, { staleAfterMinutes: 0 })),
      'HomeFunction: staleAfterMinutes 0 is not a whole number from 1 to 100000',
    ],
    [
      'a schedule ticking more often than its minimum period',
      (s: Stack) =>
        new ProberSchedule(s, 'Schedule', {
          target: standInFunction(s, 'Fn'),
          expression: 'rate(5 minutes)',
          minimumPeriod: Duration.minutes(10),
        }),
      'ProberSchedule: expression "rate(5 minutes)" ticks more often than every 10 minutes',
    ],
    [
      'a schedule retry count Scheduler rejects',
      (s: Stack) =>
        new ProberSchedule(s, 'Schedule', {
          target: standInFunction(s, 'Fn'),
          expression: 'rate(1 hour)',
          retryAttempts: 200,
        }),
      'ProberSchedule: retryAttempts 200 is not a whole number from 0 to 185',
    ],
    [
      'a malformed e-mail address',
      (s: Stack) => new AlertsTopic(s, 'Alerts', { emails: ['ops-at-example.com'] }),
      'AlertsTopic: alarmEmails ["ops-at-example.com"] is invalid',
    ],
    [
      'a canary a word filter cannot hold',
      (s: Stack) => new ProbeGuardrail(s, 'Guardrail', { canary: 'a,b' }),
      'ProbeGuardrail: canary "a,b" is invalid',
    ],
    [
      'an alarm name that is not kebab-case',
      (s: Stack) =>
        new HealthAlarmFactory(s, 'home', new SnsAction(new Topic(s, 'Topic'))).create('A', {
          what: 'No Run',
          means: 'x',
          todo: 'y',
          metric: new Metric({ namespace: 'BedrockMatrix', metricName: 'StaleRegions' }),
        }),
      'HealthAlarmFactory: what "No Run" is not a kebab-case name',
    ],
  ])('rejects %s', (_case, build, message) => {
    // Prepare
    const s = stack();

    // Act
    const error = thrownBy(() => build(s), InvalidPropError);

    // Assess
    expect(error.message.startsWith(message), error.message).toBe(true);
    expect(error.message).not.toContain('\n');
  });

  it('rejects a schedule expression as readConfig does', () => {
    // Prepare
    const s = stack();

    // Act
    const error = thrownBy(
      () =>
        new ProberSchedule(s, 'Schedule', {
          target: standInFunction(s, 'Fn'),
          expression: 'rate(5 minutes)',
        }),
      ConfigError,
    );

    // Assess
    expect(error.message).toContain('"rate(5 minutes)" runs every 5 minutes');
  });

  it('accepts the defaults of every construct', () => {
    // Prepare
    const s = stack();

    // Act + Assess
    expect(() => new ProbeGuardrail(s, 'Guardrail', { canary: 'BMX-CANARY-7F3A9C' })).not.toThrow();
    expect(() => new AlertsTopic(s, 'Alerts', { emails: ['ops@example.com'] })).not.toThrow();
  });
});
