/**
 * A member's events onto its default bus (its rule forwards them to the home's org bus): entries
 * grouped as PutEvents takes them (10 and 256 KB a request), and the answer read per entry, since
 * PutEvents reports a failed entry without failing the call. Each detail is scrubbed once more.
 */
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import type { MemberEvent } from '../core/org/events';
import { scrubDeep } from '../core/scrub';
import type { SendResult } from '../member/ports';
import { MEMBER_EVENT_SOURCE } from '../shared/org-names';
import { bounded, errorText } from './bounded';
import { requestBatches } from './eventbridge-events';

export async function putMemberEvents(
  client: EventBridgeClient,
  events: readonly MemberEvent[],
  timeoutMs: number,
): Promise<SendResult> {
  const entries = events.map(
    (e): PutEventsRequestEntry => ({
      Source: MEMBER_EVENT_SOURCE,
      DetailType: e.detailType,
      Detail: JSON.stringify(scrubDeep(e.detail)),
    }),
  );
  const idOf = new Map(entries.map((entry, i) => [entry, (events[i] as MemberEvent).detail.id]));
  const accepted: string[] = [];
  const failures: string[] = [];
  for (const batch of requestBatches(entries)) {
    try {
      const answer = await bounded('EventBridge PutEvents', timeoutMs, (abortSignal) =>
        client.send(new PutEventsCommand({ Entries: batch }), { abortSignal }),
      );
      batch.forEach((entry, i) => {
        const result = answer.Entries?.[i];
        const id = idOf.get(entry) as string;
        if (result?.EventId && !result.ErrorCode) accepted.push(id);
        else
          failures.push(
            `${id}: ${result?.ErrorCode ?? 'no answer for this entry'} ${result?.ErrorMessage ?? ''}`.trim(),
          );
      });
    } catch (err) {
      for (const entry of batch) failures.push(`${idOf.get(entry)}: ${errorText(err)}`);
    }
  }
  return { accepted, failures };
}
