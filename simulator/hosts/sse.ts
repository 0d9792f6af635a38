/**
 * Server-sent events as the OpenAI-compatible and Anthropic hosts frame them: one `data:` line of
 * JSON per event, an optional `event:` line before it, a blank line after, and (Chat only) a
 * final `data: [DONE]`.
 */
import type { SimResponse } from '../types';

/** Format one SSE event; `event` adds the `event:` line Responses and Messages streams carry. */
export function formatSseEvent(data: unknown, event?: string): string {
  const json = typeof data === 'string' ? data : JSON.stringify(data);
  return `${event ? `event: ${event}\n` : ''}data: ${json}\n\n`;
}

export interface SseWriter {
  /** Write one event. */
  send(data: unknown, event?: string): void;
  /** Write the Chat Completions terminator `data: [DONE]`. */
  done(): void;
  /** Finish the response. */
  end(): void;
}

/**
 * Start a 200 `text/event-stream` answer. `extraHeaders` carries the request-id headers so a
 * stream answers with the same ids as a JSON answer would.
 */
export function startSse(res: SimResponse, extraHeaders: Readonly<Record<string, string>> = {}): SseWriter {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    ...extraHeaders,
  });
  return {
    send: (data, event) => void res.write(formatSseEvent(data, event)),
    done: () => void res.write('data: [DONE]\n\n'),
    end: () => void res.end(),
  };
}
