/**
 * Control-plane, store, metrics and alert clients, honouring the local-testing endpoint overrides
 * (README, "Endpoint overrides"). The Lambda never sets the overrides, so there these are plain SDK clients.
 */
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { DEFAULTS, ENDPOINT_OVERRIDE_ENV } from '../shared/names';
import { type Recorder, recordClient } from './recording';

export interface ClientOptions {
  readonly region: string;
  readonly env?: NodeJS.ProcessEnv;
  /** @default the SDK's default credential chain */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Socket timeout of one attempt, and the connect timeout. @default DEFAULTS.dependencyTimeoutMs */
  readonly timeoutMs?: number;
  /** Record the control plane's raw exchanges (`probe --record`). @default none */
  readonly recorder?: Recorder;
}

/**
 * A silent dependency must not hold the run: every client gets a connect and a request timeout
 * and a small, fixed number of attempts (the SDK backs off between them).
 */
const common = (o: ClientOptions, override?: string) => {
  const timeout = o.timeoutMs ?? DEFAULTS.dependencyTimeoutMs;
  return {
    region: o.region,
    maxAttempts: 2,
    requestHandler: { requestTimeout: timeout, connectionTimeout: Math.min(timeout, 5_000) },
    ...(o.credentials ? { credentials: o.credentials } : {}),
    ...(override ? { endpoint: override } : {}),
  };
};

export const controlPlaneClient = (o: ClientOptions): BedrockClient => {
  const client = new BedrockClient(common(o, o.env?.[ENDPOINT_OVERRIDE_ENV.control]));
  if (o.recorder) recordClient(client, o.recorder, 'control');
  return client;
};

export const dynamoDbClient = (o: ClientOptions): DynamoDBClient =>
  new DynamoDBClient(common(o, o.env?.[ENDPOINT_OVERRIDE_ENV.dynamodb]));

export const cloudWatchClient = (o: ClientOptions): CloudWatchClient => new CloudWatchClient(common(o));

export const snsClient = (o: ClientOptions): SNSClient => new SNSClient(common(o));

export const eventBridgeClient = (o: ClientOptions): EventBridgeClient => new EventBridgeClient(common(o));
