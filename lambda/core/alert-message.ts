/**
 * The SNS alert of one run with confirmed changes, one body per protocol (SNS MessageStructure
 * `json`, `default` required): readable text for `email` and `default`, an AWS Chatbot custom
 * notification for `https` (Chatbot's own subscription, so it renders in Slack and Teams; see
 * chatbot-message.ts), and the JSON of the changes for `sqs` and `lambda`, whose readers are
 * programs. Message attributes serve subscription filter policies. Pure: `sns-alerts.ts` publishes it.
 */
import { ALERT_ATTRIBUTES } from '../shared/names';
import { chatbotNotification } from './chatbot-message';
import { highestSeverity, severityRank as rank, type Severity, severityOf } from './diff';
import { enforcedLine } from './enforced';
import type { Change, Evidence, Report } from './model';
import { changeKindOf, describeChangeTarget } from './render/common';
import { safeDeep } from './safe-text';
import { scrubDeep, scrubSecrets } from './scrub';

export interface AlertInput {
  readonly region: string;
  readonly runId: string;
  readonly changes: readonly Change[];
  readonly report?: Report;
  /** When the run confirmed the changes (ISO). */
  readonly at: string;
}

export interface AlertAttribute {
  readonly DataType: 'String' | 'Number';
  readonly StringValue: string;
}

export interface Alert {
  /** ASCII printable, no line breaks, at most 100 characters (SNS Subject rules). */
  readonly subject: string;
  /** JSON object text with `default`, `email` (text), `https` (Chatbot), `sqs`, `lambda` (JSON) bodies. */
  readonly message: string;
  readonly messageStructure: 'json';
  readonly attributes: Readonly<Record<string, AlertAttribute>>;
}

export const SUBJECT_MAX = 100;
/** SNS caps a message at 256 KiB; the JSON structure holds the text twice, the JSON twice and the Chatbot body once. */
export const MESSAGE_MAX_BYTES = 240_000;

export function buildAlert(raw: AlertInput): Alert {
  // An alert is read in a mail client, a terminal or a chat: no control character from outside.
  const input: AlertInput = { ...raw, changes: safeDeep(raw.changes) };
  if (!/^[a-z0-9-]+$/.test(input.region)) {
    throw new Error(`alert region must look like an AWS region, got ${JSON.stringify(input.region)}`);
  }
  if (input.changes.length === 0) throw new Error(`no changes to alert for run ${input.runId}`);
  const severity = highestSeverity(input.changes);
  const n = input.changes.length;
  const subject = toSubject(
    `bedrock-matrix: ${n} ${n === 1 ? 'change' : 'changes'} in ${input.region} (${severity.toUpperCase()})`,
  );
  // Most severe first, so a cut list still shows what matters.
  const ordered = [...input.changes].sort(
    (a, b) => rank(severityOf(b)) - rank(severityOf(a)) || describeKey(a).localeCompare(describeKey(b)),
  );
  let shown = ordered.length;
  let message = buildMessage(input, ordered, shown, severity);
  while (Buffer.byteLength(message) > MESSAGE_MAX_BYTES && shown > 1) {
    shown = Math.max(1, Math.floor(shown / 2));
    message = buildMessage(input, ordered, shown, severity);
  }
  return {
    subject,
    message,
    messageStructure: 'json',
    attributes: {
      [ALERT_ATTRIBUTES.region]: { DataType: 'String', StringValue: input.region },
      [ALERT_ATTRIBUTES.severity]: { DataType: 'String', StringValue: severity },
      [ALERT_ATTRIBUTES.changeCount]: { DataType: 'Number', StringValue: String(n) },
    },
  };
}

function buildMessage(
  input: AlertInput,
  ordered: readonly Change[],
  shown: number,
  severity: Severity,
): string {
  const detailed = ordered.slice(0, shown);
  const text = scrubSecrets(renderText(input, detailed, ordered.length, severity));
  const machine = JSON.stringify({
    schemaVersion: 1,
    type: 'bedrock-matrix.changes',
    region: input.region,
    runId: input.runId,
    at: input.at,
    severity,
    changeCount: ordered.length,
    truncated: shown < ordered.length,
    ...(input.report ? { source: input.report.source ?? 'aws', partial: input.report.partial } : {}),
    changes: detailed.map((c) => ({ ...c, severity: severityOf(c), evidence: cleanEvidence(c.evidence) })),
  });
  const chat = JSON.stringify(
    chatbotNotification({
      region: input.region,
      runId: input.runId,
      at: input.at,
      severity,
      total: ordered.length,
      changes: detailed.map((c) => {
        const ev = cleanEvidence(c.evidence);
        const detail = ev ? [...evidenceParts(ev), ev.reason ?? ev.message].filter(Boolean).join(', ') : '';
        return { severity: severityOf(c), headline: headline(c), detail };
      }),
      nextSteps: [
        advice(severity, ordered),
        `Details: bedrock-matrix diff --region ${input.region} --since ${input.at}`,
      ],
      ...(input.report?.source === 'simulator' ? { simulated: true } : {}),
      ...(input.report?.partial ? { partial: true } : {}),
    }),
  );
  return JSON.stringify({ default: text, email: text, https: chat, sqs: machine, lambda: machine });
}

function renderText(
  input: AlertInput,
  changes: readonly Change[],
  total: number,
  severity: Severity,
): string {
  const lines: string[] = [
    `bedrock-matrix confirmed ${total} ${total === 1 ? 'change' : 'changes'} in ${input.region}.`,
    `Run: ${input.runId}`,
    `Confirmed at: ${input.at}`,
    `Highest severity: ${severity.toUpperCase()}`,
  ];
  if (input.report?.source === 'simulator') lines.push('Source: local simulator (not a live AWS run)');
  if (input.report?.partial)
    lines.push('Note: the run was cut short (partial); cells not probed are unchanged.');
  const enforced = enforcedLine(
    input.report?.enforcedGuardrails?.filter((g) => g.region === input.region) ?? [],
  );
  if (enforced) lines.push(`Note: ${enforced}`);
  lines.push('');
  for (const c of changes) lines.push(...renderChange(c), '');
  if (changes.length < total) {
    lines.push(
      `... and ${total - changes.length} more changes: see the run's report or \`bedrock-matrix diff\`.`,
      '',
    );
  }
  lines.push(`What to do: ${advice(severity, changes)}`);
  return lines.join('\n');
}

/** One line naming what changed, every kind (a kind this version does not know by its name). */
function headline(c: Change): string {
  switch (changeKindOf(c)) {
    case 'cell':
      return `${c.model} ${c.endpoint}/${c.api ?? '-'}/${c.variant ?? '-'}: ${c.from ?? '-'} -> ${c.to ?? '-'}`;
    case 'model-added':
      return `model added on ${c.endpoint}: ${c.model}`;
    case 'model-removed':
      return `model removed from ${c.endpoint}: ${c.model}`;
    case 'endpoint-appeared':
      return `bedrock-${c.endpoint} endpoint appeared in ${c.region}`;
    case 'endpoint-disappeared':
      return `bedrock-${c.endpoint} endpoint disappeared from ${c.region}`;
    case 'retirement-notice':
      return `retirement notice for ${c.model}`;
    default:
      return `${c.model}: ${describeChangeTarget(c)}${c.from || c.to ? `: ${c.from ?? '-'} -> ${c.to ?? '-'}` : ''}`;
  }
}

function renderChange(c: Change): string[] {
  const ev = cleanEvidence(c.evidence);
  const kind = changeKindOf(c);
  const out = [`[${severityOf(c).toUpperCase()}] ${headline(c)}`];
  if (kind === 'endpoint-appeared' || kind === 'endpoint-disappeared') out.push(`  endpoint: ${c.endpoint}`);
  else out.push(`  model:    ${c.model}`, `  endpoint: ${c.endpoint}`);
  if (kind === 'cell') {
    out.push(
      `  api:      ${c.api ?? '-'}`,
      `  variant:  ${c.variant ?? '-'}`,
      `  change:   ${c.from ?? '-'} -> ${c.to ?? '-'}`,
    );
  }
  if (ev) {
    const parts = evidenceParts(ev);
    out.push(`  evidence: ${parts.length > 0 ? parts.join(', ') : '-'}`);
    if (ev.message) out.push(`  message:  ${ev.message}`);
    if (ev.reason) out.push(`  reason:   ${ev.reason}`);
  }
  if (c.at) out.push(`  when:     ${c.at}`);
  return out;
}

/** The evidence an alert reader can act on, as short phrases. */
function evidenceParts(ev: Evidence): string[] {
  return [
    ev.httpStatus !== null ? `HTTP ${ev.httpStatus}` : null,
    ev.errorType ? `error type ${ev.errorType}` : null,
    ev.errorCode ? `code ${ev.errorCode}` : null,
    ev.route ? `route ${ev.route}` : null,
    ev.modelId ? `model ID ${ev.modelId}` : null,
    ev.requestId ? `request ${ev.requestId}` : null,
  ].filter((p): p is string => p !== null);
}

function advice(severity: Severity, changes: readonly Change[]): string {
  if (changes.length > 0 && changes.every((c) => changeKindOf(c) === 'retirement-notice')) {
    return 'move callers of the model above to a successor before that date (the matrix shows which models work where), and check the date on the Bedrock model lifecycle page.';
  }
  if (severity === 'high') {
    return 'a Guardrail no longer stops requests on the path above: stop sending guarded traffic there (or enforce the Guardrail another way, e.g. ApplyGuardrail) and verify with `bedrock-matrix probe`.';
  }
  if (severity === 'medium') {
    return 'something that worked no longer does: check clients that use the path above, switch them to a path the matrix shows as supported, and verify with `bedrock-matrix probe`.';
  }
  return 'review the evidence; new capabilities may allow a simpler or cheaper path. No action is needed if the change was expected.';
}

/** Evidence with every text scrubbed once more: an alert leaves the account. */
const cleanEvidence = (ev: Evidence | undefined): Evidence | undefined => (ev ? scrubDeep(ev) : undefined);

/**
 * The home watch's alert: regions that turned stale or failing, one line each (already written by
 * the watch from stored, scrubbed facts). Text bodies only: it carries no change for a program.
 */
export function buildHealthAlert(rawLines: readonly string[], at: string): Alert {
  const lines = safeDeep(rawLines).map(scrubSecrets);
  const n = lines.length;
  const text = [`bedrock-matrix home watch, ${at}:`, ...lines.map((l) => `- ${l}`)].join('\n');
  return {
    subject: toSubject(`bedrock-matrix: ${n} ${n === 1 ? 'region needs' : 'regions need'} attention`),
    message: JSON.stringify({ default: text, email: text }),
    messageStructure: 'json',
    attributes: { [ALERT_ATTRIBUTES.severity]: { DataType: 'String', StringValue: 'high' } },
  };
}

const describeKey = (c: Change): string =>
  `${c.model}|${c.endpoint}|${c.api ?? ''}|${c.variant ?? ''}|${c.kind ?? 'cell'}`;

/** Printable ASCII only, no line breaks, at most 100 characters. */
export function toSubject(text: string): string {
  const ascii = scrubSecrets(text).replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= SUBJECT_MAX ? ascii : `${ascii.slice(0, SUBJECT_MAX - 3)}...`;
}
