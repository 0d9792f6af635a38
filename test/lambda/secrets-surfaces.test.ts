import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { publishAlert } from '../../lambda/adapters/sns-alerts';
import { type Alert, buildAlert } from '../../lambda/core/alert-message';
import type { Change } from '../../lambda/core/model';
import { registerSecretsFromEnv } from '../../lambda/core/scrub';
import { createLogger } from '../../lambda/logger';
import { accessLost } from '../support/changes';
import { ECHOED_SHAPES, PLANTED_ENV, plantedSecretIn } from '../support/planted-secrets';

// The Lambda's own surfaces: the alert it publishes and the lines it logs. Its role's secret key
// and session token are in its environment, registered at start-up as lambda/index.ts does.

const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:bedrock-matrix-alerts';
const AT = '2026-12-01T20:00:00.000Z';
let forget: () => void;

beforeAll(() => {
  forget = registerSecretsFromEnv(PLANTED_ENV);
});
afterAll(() => forget());

const change = (i: number): Change =>
  accessLost(
    { endpoint: i % 2 === 0 ? 'mantle' : 'runtime', at: AT },
    {
      message: `denied: ${ECHOED_SHAPES[i]}`,
      reason: ECHOED_SHAPES[(i + 1) % ECHOED_SHAPES.length] ?? null,
      requestId: ECHOED_SHAPES[(i + 2) % ECHOED_SHAPES.length] ?? null,
    },
  );

describe('the alert', () => {
  beforeEach(() => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'msg-1' });
  });

  it('built from changes whose evidence carries every shape, publishes none of them', async () => {
    // Prepare
    const alert = buildAlert({
      region: 'us-east-1',
      runId: 'r1',
      changes: ECHOED_SHAPES.map((_s, i) => change(i)),
      at: AT,
    });

    // Act
    await publishAlert(new SNSClient({ region: 'us-east-1' }), TOPIC, alert);

    // Assess: exactly one Publish, its text redacted and still the JSON structure SNS needs
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    const sent = JSON.stringify(input);
    expect(plantedSecretIn(sent)).toBeNull();
    expect(sent).toContain('[redacted]');
    expect(JSON.parse(input?.Message ?? '')).toHaveProperty('email');
  });

  it('scrubs at publish time an alert whose text was built before a secret was known', async () => {
    // Prepare: as if built by code that skipped the scrubber
    const raw: Alert = {
      subject: 'bedrock-matrix: 1 change in us-east-1 (HIGH)',
      message: JSON.stringify({
        default: `token ${PLANTED_ENV.AWS_SESSION_TOKEN}`,
        email: `key ${PLANTED_ENV.AWS_SECRET_ACCESS_KEY} said "no"`,
      }),
      messageStructure: 'json',
      attributes: {},
    } as unknown as Alert;

    // Act
    await publishAlert(new SNSClient({ region: 'us-east-1' }), TOPIC, raw);

    // Assess
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(plantedSecretIn(JSON.stringify(input))).toBeNull();
    expect(JSON.parse(input?.Message ?? '')).toEqual({
      default: 'token [redacted]',
      email: 'key [redacted] said "no"',
    });
  });
});

describe('log lines', () => {
  it('carry no shape from a message, a field or an error, and stay one JSON object each', () => {
    // Prepare
    const lines: string[] = [];
    const log = createLogger((l) => lines.push(l));

    // Act
    ECHOED_SHAPES.forEach((shape, i) => {
      log.error(`probe failed: ${shape}`, {
        err: new Error(`upstream said "${ECHOED_SHAPES[(i + 1) % ECHOED_SHAPES.length]}"`),
        detail: { body: ECHOED_SHAPES[(i + 2) % ECHOED_SHAPES.length] },
      });
    });

    // Assess
    expect(lines).toHaveLength(ECHOED_SHAPES.length);
    for (const line of lines) {
      expect(line).not.toContain('\n');
      expect(plantedSecretIn(line), line).toBeNull();
      expect(JSON.parse(line)).toMatchObject({ level: 'ERROR' });
    }
    expect(lines.join('\n')).toContain('[redacted]');
  });
});
