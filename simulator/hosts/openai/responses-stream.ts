/** A finished Responses answer replayed as the typed SSE events the `openai` SDK parses. */
import { deltas } from '../../brain';
import { FAULT_MESSAGES } from '../../faults';
import { type Exchange, recordExchange } from '../exchange';
import { startSse } from '../sse';

/**
 * Stream a finished response as the typed Responses events, each with its `sequence_number`.
 * `fails` (a `stream-failed` fault): after the first text delta the response fails instead, with
 * `response.failed` carrying `error: { code: 'server_error', message }`, and the stream ends.
 */
export function streamResponse(x: Exchange, final: Record<string, unknown>, fails = false): void {
  const sse = startSse(x.res, x.idHeaders);
  let sequence = 0;
  const send = (type: string, payload: Record<string, unknown>) =>
    sse.send({ type, sequence_number: sequence++, ...payload }, type);

  const start = { ...final, status: 'in_progress', output: [], usage: null, incomplete_details: null };
  send('response.created', { response: start });
  send('response.in_progress', { response: start });

  const items = final.output as Record<string, unknown>[];
  items.forEach((item, outputIndex) => {
    const itemId = item.id as string;
    if (item.type === 'function_call') {
      const args = item.arguments as string;
      send('response.output_item.added', {
        output_index: outputIndex,
        item: { ...item, arguments: '', status: 'in_progress' },
      });
      for (const piece of deltas(args)) {
        send('response.function_call_arguments.delta', {
          item_id: itemId,
          output_index: outputIndex,
          delta: piece,
        });
      }
      send('response.function_call_arguments.done', {
        item_id: itemId,
        output_index: outputIndex,
        name: item.name,
        arguments: args,
      });
      send('response.output_item.done', { output_index: outputIndex, item });
      return;
    }
    const part = (item.content as Record<string, unknown>[])[0] ?? {};
    const text = typeof part.text === 'string' ? part.text : '';
    send('response.output_item.added', {
      output_index: outputIndex,
      item: { ...item, status: 'in_progress', content: [] },
    });
    const emptyPart = { type: 'output_text', text: '', annotations: [], logprobs: [] };
    const where = { item_id: itemId, output_index: outputIndex, content_index: 0 };
    send('response.content_part.added', { ...where, part: emptyPart });
    for (const piece of deltas(text)) {
      send('response.output_text.delta', { ...where, delta: piece, logprobs: [] });
      if (fails) break;
    }
    if (fails) return;
    send('response.output_text.done', { ...where, text, logprobs: [] });
    send('response.content_part.done', { ...where, part });
    send('response.output_item.done', { output_index: outputIndex, item });
  });
  if (fails) {
    const error = { code: 'server_error', message: FAULT_MESSAGES.internal };
    send('response.failed', { response: { ...final, status: 'failed', error, output: [] } });
    sse.end();
    recordExchange(x, 200);
    return;
  }
  send(final.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: final });
  sse.end();
  recordExchange(x, 200);
}
