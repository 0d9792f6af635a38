/**
 * Sends metric datums with as few PutMetricData calls as the API allows: at most 1000 datums
 * and 1 MB of payload per call (CloudWatch PutMetricData limits).
 */
import { type CloudWatchClient, type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { batchBySize } from '../core/batches';
import { METRICS_NAMESPACE } from '../shared/names';

const MAX_DATUMS_PER_CALL = 1000;
/** Kept well under the 1 MB request limit: the wire encoding is larger than our JSON estimate. */
const MAX_ESTIMATED_BYTES = 700_000;

/** Split datums into PutMetricData-sized batches (by count and by estimated size). */
export const batchMetricData = (data: readonly MetricDatum[]): MetricDatum[][] =>
  batchBySize(data, {
    maxCount: MAX_DATUMS_PER_CALL,
    maxBytes: MAX_ESTIMATED_BYTES,
    sizeOf: (d) => Buffer.byteLength(JSON.stringify(d)),
  });

/**
 * Publish `data` under `namespace`; returns the number of PutMetricData calls made.
 * @param namespace @default METRICS_NAMESPACE
 */
export async function publishMetrics(
  client: CloudWatchClient,
  data: readonly MetricDatum[],
  namespace: string = METRICS_NAMESPACE,
): Promise<number> {
  if (namespace.trim() === '' || namespace.startsWith('AWS/')) {
    throw new Error(
      `metrics namespace must be non-empty and not start with "AWS/", got ${JSON.stringify(namespace)}`,
    );
  }
  const batches = batchMetricData(data);
  for (const batch of batches) {
    await client.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: batch }));
  }
  return batches.length;
}
