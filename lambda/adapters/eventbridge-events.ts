/**
 * Puts each confirmed change on an EventBridge bus (the account's default bus unless told
 * otherwise), so teams route changes anywhere with a rule: `source: bedrock-matrix`, one
 * detail-type per kind of change. PutEvents takes at most 10 entries and 256 KB of entries per
 * call, so the entries are grouped by both; entries the service reports as failed are retried
 * once, then the call fails naming the first error.
 */
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { batchBySize } from '../core/batches';
import { type Change, changeFactsOf } from '../core/model';
import { scrubSecrets } from '../core/scrub';
import { EVENT_SOURCE } from '../shared/names';

export { EVENT_SOURCE };

/** The detail-type of each kind of change: rules match on these. */
export const DETAIL_TYPES = {
  cell: 'Bedrock Matrix Cell Changed',
  guardrail: 'Bedrock Matrix Guardrail Verdict Changed',
  'model-added': 'Bedrock Matrix Model Added',
  'model-removed': 'Bedrock Matrix Model Removed',
  'endpoint-appeared': 'Bedrock Matrix Endpoint Appeared',
  'endpoint-disappeared': 'Bedrock Matrix Endpoint Disappeared',
  'retirement-notice': 'Bedrock Matrix Retirement Notice',
} as const;

const BATCH = 10;
/**
 * PutEvents' cap on the entries of one request, and on one entry: "the total entry size must be
 * less than 256KB" (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html).
 */
export const MAX_REQUEST_BYTES = 256 * 1024;

/** An entry's size as EventBridge counts it (same page): Time 14 bytes, UTF-8 bytes of the rest. */
export function entryBytes(e: PutEventsRequestEntry): number {
  const utf8 = (s: string | undefined) => (s === undefined ? 0 : Buffer.byteLength(s, 'utf8'));
  return (
    (e.Time ? 14 : 0) +
    utf8(e.Source) +
    utf8(e.DetailType) +
    utf8(e.Detail) +
    (e.Resources ?? []).reduce((n, r) => n + utf8(r), 0)
  );
}

/** Entries in requests of at most 10 entries and less than 256 KB each, in order. */
export const requestBatches = (entries: readonly PutEventsRequestEntry[]): PutEventsRequestEntry[][] =>
  batchBySize(entries, { maxCount: BATCH, maxBytes: MAX_REQUEST_BYTES - 1, sizeOf: entryBytes });

export interface ChangeEventOptions {
  readonly runId: string;
  /** @default 'default' (the account's default event bus) */
  readonly eventBusName?: string;
}

export const detailTypeOf = (c: Change): string =>
  c.kind !== undefined && c.kind !== 'cell'
    ? DETAIL_TYPES[c.kind]
    : c.variant === 'guardrail'
      ? DETAIL_TYPES.guardrail
      : DETAIL_TYPES.cell;

/**
 * One PutEvents entry per change; the detail is the change as the report JSON spells it. An entry
 * past the 256 KB cap (a catalog's giant model ID) goes without its evidence and says so.
 */
export function changeEntries(changes: readonly Change[], opts: ChangeEventOptions): PutEventsRequestEntry[] {
  return changes.map((c) => {
    const full = changeEntry(c, opts, true);
    if (entryBytes(full) < MAX_REQUEST_BYTES) return full;
    return changeEntry(c, opts, false);
  });
}

function changeEntry(c: Change, opts: ChangeEventOptions, withEvidence: boolean): PutEventsRequestEntry {
  return {
    Source: EVENT_SOURCE,
    DetailType: detailTypeOf(c),
    EventBusName: opts.eventBusName ?? 'default',
    ...(c.at ? { Time: new Date(c.at) } : {}),
    Detail: JSON.stringify({
      ...changeFactsOf(c),
      at: c.at ?? null,
      runId: opts.runId,
      ...(c.notice ? { notice: c.notice } : {}),
      ...(withEvidence ? {} : { evidenceDropped: 'the event would exceed 256 KB with it' }),
      evidence:
        withEvidence && c.evidence
          ? {
              httpStatus: c.evidence.httpStatus,
              errorCode: c.evidence.errorCode,
              message: c.evidence.message === null ? null : scrubSecrets(c.evidence.message),
              route: c.evidence.route,
              modelId: c.evidence.modelId,
              requestId: c.evidence.requestId,
            }
          : null,
    }),
  };
}

/** Puts every change; returns the number of events accepted. */
export async function putChangeEvents(
  client: EventBridgeClient,
  changes: readonly Change[],
  opts: ChangeEventOptions,
): Promise<number> {
  const entries = changeEntries(changes, opts);
  for (const whole of requestBatches(entries)) {
    let batch = whole;
    for (let attempt = 1; ; attempt++) {
      const out = await client.send(new PutEventsCommand({ Entries: batch }));
      if (!out.FailedEntryCount) break;
      const results = out.Entries ?? [];
      const failed = batch.filter((_, j) => results[j]?.ErrorCode);
      if (attempt >= 2 || failed.length === 0) {
        const first = results.find((r) => r.ErrorCode);
        throw new Error(
          `PutEvents: ${out.FailedEntryCount} of ${batch.length} events failed (${first?.ErrorCode ?? '?'}: ${first?.ErrorMessage ?? ''})`,
        );
      }
      batch = failed;
    }
  }
  return entries.length;
}
