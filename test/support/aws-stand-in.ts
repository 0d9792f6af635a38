/**
 * A loopback stand-in for the AWS services that have no local emulator, CloudWatch
 * (PutMetricData, awsJson1_0), EventBridge (PutEvents, awsJson1_1) and SNS (Publish, awsQuery), for
 * the bundled Lambda, which a mock client cannot reach inside its own copy of the SDK. The bundle
 * finds it through the SDK's own `AWS_ENDPOINT_URL_CLOUDWATCH` / `_EVENTBRIDGE` / `_SNS`. It answers the way the services do and
 * keeps every request, so a test asserts the exact calls.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { listenOnLoopback } from './loopback';

export interface StandInCall {
  readonly service: 'cloudwatch' | 'events' | 'sns';
  /** `PutMetricData`, `PutEvents` or `Publish`. */
  readonly action: string;
  /** CloudWatch: the JSON body; SNS: the form fields. */
  readonly input: Record<string, unknown>;
  /** False when the stand-in was told to refuse this call. */
  readonly accepted: boolean;
}

export interface AwsStandIn {
  readonly url: string;
  readonly calls: readonly StandInCall[];
  /** Refuse the next `n` SNS publishes with a 500 InternalError. */
  failPublishes(n: number): void;
  /** The metric values sent, by metric name (the last one wins). */
  metric(name: string): number | undefined;
  close(): Promise<void>;
}

const read = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });

export async function startAwsStandIn(): Promise<AwsStandIn> {
  const calls: StandInCall[] = [];
  let refuse = 0;
  const server = createServer(async (req, res) => {
    const body = await read(req);
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') {
      // JSON protocols name the operation in `X-Amz-Target`: `GraniteServiceVersion20100801.PutMetricData`
      // (CloudWatch) or `AWSEvents.PutEvents` (EventBridge).
      const events = target.startsWith('AWSEvents.');
      const input = JSON.parse(body || '{}') as { Entries?: unknown[] };
      calls.push({
        service: events ? 'events' : 'cloudwatch',
        action: target.split('.').pop() ?? target,
        input,
        accepted: true,
      });
      res.writeHead(200, { 'content-type': `application/x-amz-json-${events ? '1.1' : '1.0'}` });
      const ids = (input.Entries ?? []).map((_, i) => ({ EventId: `e-${calls.length}-${i}` }));
      res.end(events ? JSON.stringify({ FailedEntryCount: 0, Entries: ids }) : '{}');
      return;
    }
    const form = Object.fromEntries(new URLSearchParams(body));
    const accepted = refuse === 0;
    if (!accepted) refuse -= 1;
    calls.push({ service: 'sns', action: String(form.Action), input: form, accepted });
    if (!accepted) {
      res.writeHead(500, { 'content-type': 'text/xml' });
      res.end(
        '<ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code><Message>stand-in refused</Message></Error><RequestId>r-1</RequestId></ErrorResponse>',
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(
      `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-${calls.length}</MessageId></PublishResult><ResponseMetadata><RequestId>r-${calls.length}</RequestId></ResponseMetadata></PublishResponse>`,
    );
  });
  const url = await listenOnLoopback(server);
  return {
    url,
    calls,
    failPublishes(n) {
      refuse = n;
    },
    metric(name) {
      let value: number | undefined;
      for (const c of calls) {
        if (c.action !== 'PutMetricData') continue;
        const data = (c.input.MetricData ?? []) as { MetricName?: string; Value?: number }[];
        for (const d of data) if (d.MetricName === name) value = d.Value;
      }
      return value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
