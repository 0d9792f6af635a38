/**
 * The alert as an AWS Chatbot (Amazon Q Developer in chat applications) custom notification, the
 * body SNS delivers to `https` subscribers: Chatbot subscribes a topic over HTTPS and renders this
 * shape in Slack and Microsoft Teams. Schema (version `1.0`, source `custom`, `client-markdown`):
 * https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html
 */
import type { Severity } from './diff';

export interface ChatbotNotification {
  readonly version: '1.0';
  readonly source: 'custom';
  /** Unique per alert: the run and region. */
  readonly id: string;
  readonly content: {
    readonly textType: 'client-markdown';
    readonly title: string;
    readonly description: string;
    readonly nextSteps: readonly string[];
    readonly keywords: readonly string[];
  };
  readonly metadata: {
    /** One thread per region, so a channel keeps each region's alerts together. */
    readonly threadId: string;
    readonly summary: string;
    readonly eventType: string;
    readonly additionalContext: Readonly<Record<string, string>>;
  };
}

export interface ChatbotInput {
  readonly region: string;
  readonly runId: string;
  readonly at: string;
  readonly severity: Severity;
  /** All changes of the alert; `changes` may show fewer. */
  readonly total: number;
  /** Most severe first, scrubbed: the one-line headline and the evidence in a phrase. */
  readonly changes: readonly {
    readonly severity: Severity;
    readonly headline: string;
    readonly detail: string;
  }[];
  readonly nextSteps: readonly string[];
  readonly simulated?: boolean;
  readonly partial?: boolean;
}

/** Chat clients cut long posts; past this the rest is counted, not shown. */
const DESCRIPTION_MAX = 3500;
const MARK: Readonly<Record<Severity, string>> = { high: '🚨', medium: '⚠️', low: 'ℹ️' };

/** Backticks would end the code span a value is shown in; line breaks would end the bullet. */
const code = (text: string): string => `\`${text.replace(/`/g, "'").replace(/\s+/g, ' ')}\``;

export function chatbotNotification(input: ChatbotInput): ChatbotNotification {
  const n = input.total;
  const summary = `bedrock-matrix: ${n} ${n === 1 ? 'change' : 'changes'} in ${input.region} (${input.severity.toUpperCase()})`;
  const notes = [
    input.simulated ? '_Source: local simulator, not a live AWS run._' : null,
    input.partial ? '_The run was cut short (partial); cells not probed are unchanged._' : null,
  ].filter((l): l is string => l !== null);
  const lines: string[] = [...notes];
  let shown = 0;
  for (const c of input.changes) {
    const line = `• *${c.severity.toUpperCase()}* ${code(c.headline)}${c.detail ? `\n   ${code(c.detail)}` : ''}`;
    // Room for the "and N more" line.
    if ([...lines, line].join('\n').length > DESCRIPTION_MAX - 80) break;
    lines.push(line);
    shown++;
  }
  if (shown < n) lines.push(`… and ${n - shown} more: see the email alert or \`bedrock-matrix diff\`.`);
  return {
    version: '1.0',
    source: 'custom',
    id: `${input.runId}:${input.region}`,
    content: {
      textType: 'client-markdown',
      title: `${MARK[input.severity]} ${summary}`,
      description: lines.join('\n'),
      nextSteps: [...input.nextSteps],
      keywords: ['bedrock-matrix', input.region, input.severity],
    },
    metadata: {
      threadId: `bedrock-matrix-${input.region}`,
      summary,
      eventType: 'bedrock-matrix.changes',
      additionalContext: {
        region: input.region,
        runId: input.runId,
        severity: input.severity,
        changeCount: String(n),
        confirmedAt: input.at,
      },
    },
  };
}
