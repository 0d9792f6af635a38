/**
 * Puts each confirmed change on an EventBridge bus (the account's default bus unless told
 * otherwise), so teams route changes anywhere with a rule: `source: bedrock-matrix`, one
 * detail-type per kind of change. PutEvents takes at most 10 entries per call; entries the
 * service reports as failed are retried once, then the call fails naming the first error.
 */
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
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

/** One PutEvents entry per change; the detail is the change as the report JSON spells it. */
export function changeEntries(changes: readonly Change[], opts: ChangeEventOptions): PutEventsRequestEntry[] {
  return changes.map((c) => ({
    Source: EVENT_SOURCE,
    DetailType: detailTypeOf(c),
    EventBusName: opts.eventBusName ?? 'default',
    ...(c.at ? { Time: new Date(c.at) } : {}),
    Detail: JSON.stringify({
      ...changeFactsOf(c),
      at: c.at ?? null,
      runId: opts.runId,
      ...(c.notice ? { notice: c.notice } : {}),
      evidence: c.evidence
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
  }));
}

/** Puts every change; returns the number of events accepted. */
export async function putChangeEvents(
  client: EventBridgeClient,
  changes: readonly Change[],
  opts: ChangeEventOptions,
): Promise<number> {
  const entries = changeEntries(changes, opts);
  for (let i = 0; i < entries.length; i += BATCH) {
    let batch = entries.slice(i, i + BATCH);
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
