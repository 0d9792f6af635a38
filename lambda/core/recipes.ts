/**
 * Recipes: for every cell of a report, how to call that model through that api on that endpoint
 * today (base URL, route, the model ID that worked, auth, how a guardrail attaches or that it is
 * ignored there, and snippets), or, for a cell that does not work, why not and what works instead.
 * Generated only from measured evidence: a recipe never promises more than the matrix saw.
 */
import { defaultRoute, publicBaseUrl } from './endpoints';
import { APIS, type Api, type CellResult, ENDPOINTS, type Endpoint, type Report, type Status } from './model';
import { invokeFamilyOf } from './plan';
import { type Snippet, snippetsFor } from './recipe-snippets';
import { formatEvidence } from './render/common';

export interface Recipe {
  readonly region: string;
  readonly model: string;
  readonly endpoint: Endpoint;
  readonly api: Api;
  readonly status: Status;
  readonly supported: boolean;
  /** Base URL of the host plus the route that worked, e.g. `https://bedrock-mantle.us-east-1.api.aws/v1`. */
  readonly baseUrl: string;
  readonly route: string | null;
  readonly modelId: string | null;
  readonly auth: string;
  readonly guardrail: string;
  /** Empty for a cell that does not work, or when no request body is known. */
  readonly snippets: readonly Snippet[];
  /** Why the cell does not work (unsupported, not found, ...), with the evidence. */
  readonly why: string | null;
  /** Other apis of the same model in the region that do work (`mantle/chat`). */
  readonly worksInstead: readonly string[];
  /** Where the evidence is: run id + cell id. */
  readonly evidence: string;
}

export interface RecipeQuery {
  readonly model: string;
  readonly region?: string;
  readonly endpoint?: Endpoint;
  readonly api?: Api;
}

const AUTH: Readonly<Record<Api, string>> = {
  converse:
    'SigV4 with your AWS credentials (AWS SDK, boto3), or a Bedrock API key as `Authorization: Bearer` (curl); IAM action bedrock:InvokeModel',
  invoke:
    'SigV4 with your AWS credentials (AWS SDK, boto3), or a Bedrock API key as `Authorization: Bearer` (curl); IAM action bedrock:InvokeModel',
  chat: 'a short-term Bedrock API key (@aws/bedrock-token-generator) as `Authorization: Bearer`',
  responses: 'a short-term Bedrock API key (@aws/bedrock-token-generator) as `Authorization: Bearer`',
  messages: 'a short-term Bedrock API key (@aws/bedrock-token-generator) as `Authorization: Bearer`',
};

const HOW_GUARDRAIL: Readonly<Record<Api, string>> = {
  converse: '`guardrailConfig: { guardrailIdentifier, guardrailVersion }` in the Converse request',
  invoke: 'the `guardrailIdentifier` / `guardrailVersion` parameters of InvokeModel',
  chat: 'the `X-Amzn-Bedrock-GuardrailIdentifier` / `X-Amzn-Bedrock-GuardrailVersion` headers',
  responses: 'the `X-Amzn-Bedrock-GuardrailIdentifier` / `X-Amzn-Bedrock-GuardrailVersion` headers',
  messages: 'the `X-Amzn-Bedrock-GuardrailIdentifier` / `X-Amzn-Bedrock-GuardrailVersion` headers',
};

function guardrailText(api: Api, cell: CellResult | undefined): string {
  const how = HOW_GUARDRAIL[api];
  if (!cell) return `not measured in this run (no probe guardrail); it would attach with ${how}`;
  if (cell.status === 'enforced')
    return `attach with ${how}: measured ENFORCED (the canary request was stopped)`;
  if (cell.status === 'ignored')
    return `IGNORED here: with ${how} the request still reached the model (and was billed). Check input with ApplyGuardrail first, or use an api where it is enforced`;
  return `no verdict (${cell.status}) with ${how}: ${formatEvidence(cell.evidence)}`;
}

const WHY: Partial<Record<Status, string>> = {
  unsupported: 'the model exists on this endpoint but rejects this api',
  'not-found': 'this endpoint does not know the model',
  'no-access': 'the model exists but this account may not call it',
  throttled: 'throttled when probed (transient; no verdict)',
  error: 'the probe failed (5xx, timeout or an unreadable answer; no verdict)',
  skipped: 'not probed',
};

const squareId = (c: { model: string; endpoint: string; api: string }) => `${c.model}|${c.endpoint}|${c.api}`;

/** Every recipe the query matches, in region / endpoint / api order. */
export function recipesFor(report: Report, q: RecipeQuery): Recipe[] {
  const modelEntry = report.models.find((m) => m.key === q.model);
  const cells = report.cells.filter(
    (c) =>
      c.model === q.model &&
      (q.region === undefined || c.region === q.region) &&
      (q.endpoint === undefined || c.endpoint === q.endpoint) &&
      (q.api === undefined || c.api === q.api),
  );
  const regionCells = (region: string) =>
    report.cells.filter((c) => c.region === region && c.model === q.model);
  return cells
    .filter((c) => c.variant === 'basic')
    .map((basic) => {
      const same = regionCells(basic.region);
      return recipeOfSquare({
        reportRunId: report.runId,
        basic,
        guardrail: same.find((c) => c.variant === 'guardrail' && squareId(c) === squareId(basic)),
        catalogId: modelEntry?.ids[basic.endpoint],
        worksInstead: same
          .filter((c) => c.variant === 'basic' && c.status === 'supported' && squareId(c) !== squareId(basic))
          .map((c) => `${c.endpoint}/${c.api}`),
      });
    })
    .sort(
      (a, b) =>
        a.region.localeCompare(b.region) ||
        ENDPOINTS.indexOf(a.endpoint) - ENDPOINTS.indexOf(b.endpoint) ||
        APIS.indexOf(a.api) - APIS.indexOf(b.api),
    );
}

export interface SquareInput {
  readonly reportRunId: string;
  readonly basic: CellResult;
  readonly guardrail?: CellResult | undefined;
  /** The model's ID on this endpoint per the catalogs, when the evidence names none. */
  readonly catalogId?: string | undefined;
  /** @default [] */
  readonly worksInstead?: readonly string[];
}

/** The recipe of one square (a basic cell and its guardrail cell). */
export function recipeOfSquare(i: SquareInput): Recipe {
  const { basic } = i;
  const supported = basic.status === 'supported';
  const route = basic.evidence.route ?? defaultRoute(basic.endpoint, basic.api);
  const hostUrl = publicBaseUrl(basic.endpoint, basic.region);
  const modelId = basic.evidence.modelId ?? i.catalogId ?? null;
  const family = basic.api === 'invoke' ? invokeFamilyOf(basic.model) : null;
  const baseUrl = `${hostUrl}${route ?? ''}`;
  const snippets =
    supported && modelId
      ? snippetsFor({
          region: basic.region,
          endpoint: basic.endpoint,
          api: basic.api,
          baseUrl,
          hostUrl,
          modelId,
          family,
        })
      : [];
  return {
    region: basic.region,
    model: basic.model,
    endpoint: basic.endpoint,
    api: basic.api,
    status: basic.status,
    supported,
    baseUrl,
    route,
    modelId,
    auth: AUTH[basic.api],
    guardrail: guardrailText(basic.api, i.guardrail),
    snippets,
    why: supported
      ? snippets.length === 0
        ? 'supported, but no request body for this model family is known to bedrock-matrix'
        : null
      : `${basic.status}: ${WHY[basic.status] ?? 'not callable here'} (${formatEvidence(basic.evidence) || 'no evidence recorded'})`,
    worksInstead: i.worksInstead ?? [],
    evidence: `run ${basic.runId ?? i.reportRunId}, cell ${basic.region}|${basic.model}|${basic.endpoint}|${basic.api}|basic`,
  };
}

/** One recipe as readable text (Markdown): what the `recipe` command prints. */
export function renderRecipe(r: Recipe): string {
  const head = `## ${r.model} · ${r.endpoint}/${r.api} · ${r.region}: ${r.supported ? 'supported' : r.status}`;
  const facts = [
    `- base URL: \`${r.baseUrl}\``,
    `- route: ${r.route ? `\`${r.route}\`` : '(none: native runtime api)'}`,
    `- model ID: ${r.modelId ? `\`${r.modelId}\`` : '(none known)'}`,
    `- auth: ${r.auth}`,
    `- guardrail: ${r.guardrail}`,
    `- evidence: ${r.evidence}`,
  ];
  const out = [head, '', ...facts, ''];
  if (r.why) out.push(`**Why not:** ${r.why}`, '');
  if (!r.supported && r.worksInstead.length > 0)
    out.push(`Works instead for this model in ${r.region}: ${r.worksInstead.join(', ')}`, '');
  for (const s of r.snippets) {
    const lang = s.id === 'curl' ? 'sh' : s.id === 'typescript' ? 'ts' : 'python';
    out.push(`### ${s.title}`, '', `\`\`\`${lang}`, s.code.trimEnd(), '```', '');
  }
  return out.join('\n');
}
