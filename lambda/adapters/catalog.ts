/**
 * Discover step, I/O half: the three catalogs of one region. A catalog that fails to answer, or
 * answers something that is not a model list (an HTML page from a proxy, `{}`), is `null` (its
 * cells become transient `error`), never an empty list (which would read as every model leaving).
 * A mantle host whose name does not resolve is recorded as absent: the region has no such endpoint.
 */
import {
  type BedrockClient,
  ListFoundationModelsCommand,
  ListInferenceProfilesCommand,
} from '@aws-sdk/client-bedrock';
import type OpenAI from 'openai';
import type { CatalogResult, FoundationModelSummary, InferenceProfileSummary } from '../core/resolve';
import { trimMessage } from '../core/scrub';
import { DEFAULTS } from '../shared/names';
import { bounded, errorText, isNameNotResolved } from './bounded';

export interface CatalogClients {
  readonly bedrock: BedrockClient;
  /** An OpenAI client on the mantle host's `/v1` route, authenticated with a bearer token. */
  readonly mantle: OpenAI;
  /** Per catalog call (each page). @default DEFAULTS.dependencyTimeoutMs */
  readonly timeoutMs?: number;
}

/** Pages of ListInferenceProfiles read at most: a loop guard against a token that never ends. */
const MAX_PAGES = 50;

export async function loadCatalogs(clients: CatalogClients): Promise<CatalogResult> {
  const timeoutMs = clients.timeoutMs ?? DEFAULTS.dependencyTimeoutMs;
  const problems: string[] = [];
  const absentEndpoints: ('mantle' | 'runtime')[] = [];
  const guard = async <T>(name: string, load: () => Promise<T>): Promise<T | null> => {
    try {
      return await load();
    } catch (err) {
      if (name.startsWith('mantle') && isNameNotResolved(err)) {
        absentEndpoints.push('mantle');
        return null;
      }
      problems.push(`${name}: ${describeFailure(err)}`);
      return null;
    }
  };
  const [mantle, foundationModels, inferenceProfiles] = await Promise.all([
    guard('mantle /v1/models', () => listMantleModels(clients.mantle, timeoutMs)),
    guard('ListFoundationModels', () => listFoundationModels(clients.bedrock, timeoutMs)),
    guard('ListInferenceProfiles', () => listInferenceProfiles(clients.bedrock, timeoutMs)),
  ]);
  return {
    catalogs: { mantle, foundationModels, inferenceProfiles },
    problems,
    ...(absentEndpoints.length > 0 ? { absentEndpoints } : {}),
  };
}

const AUTH_TEXT =
  /invalid bearer token|invalid api key|authentication failed|security token included in the request is (invalid|expired)|signature we calculated does not match/i;
const AUTH_NAMES =
  /^(UnrecognizedClientException|InvalidSignatureException|ExpiredTokenException|IncompleteSignatureException|AuthenticationError)$/;

/**
 * A catalog failure in a word an operator acts on: our credentials (every cell of that host will
 * fail the same way), our role's permissions, or the raw failure.
 */
function describeFailure(err: unknown): string {
  const text = trimMessage(errorText(err), 200) ?? 'unknown failure';
  const e = (err ?? {}) as { name?: string; status?: number; $metadata?: { httpStatusCode?: number } };
  const status = e.status ?? e.$metadata?.httpStatusCode;
  if (status === 401 || AUTH_NAMES.test(e.name ?? '') || (status === 403 && AUTH_TEXT.test(text))) {
    return `authentication failed: ${text}`;
  }
  if (status === 403 && /is not authorized to perform/i.test(text)) return `IAM denied: ${text}`;
  return text;
}

/** Thrown when a catalog answered, but not with a model list: never read as "no models". */
class NotACatalog extends Error {
  override readonly name = 'NotACatalog';
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** What an unexpected answer looked like, in a few secret-free characters. */
const excerpt = (v: unknown): string =>
  trimMessage(typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)), 80) ?? '(empty)';

async function listMantleModels(client: OpenAI, timeoutMs: number): Promise<string[]> {
  // The raw GET, not the SDK's pager: the pager reads a missing `data` as an empty page, and an
  // HTML page answered with 200 would then read as "mantle lists no models".
  const body: unknown = await bounded('mantle GET /v1/models', timeoutMs, (signal) =>
    client.get('/models', { signal, timeout: timeoutMs, maxRetries: 1 }),
  );
  if (!isRecord(body) || !Array.isArray(body.data)) {
    throw new NotACatalog(`answer is not a model list (expected {"data":[...]}): ${excerpt(body)}`);
  }
  const ids: string[] = [];
  for (const m of body.data) {
    if (!isRecord(m) || typeof m.id !== 'string' || m.id === '') {
      throw new NotACatalog(`model list entry without an id: ${excerpt(m)}`);
    }
    ids.push(m.id);
  }
  return ids;
}

async function listFoundationModels(
  client: BedrockClient,
  timeoutMs: number,
): Promise<FoundationModelSummary[]> {
  const out = await bounded('ListFoundationModels', timeoutMs, (abortSignal) =>
    client.send(new ListFoundationModelsCommand({}), { abortSignal }),
  );
  if (!Array.isArray(out.modelSummaries)) {
    throw new NotACatalog('answer has no modelSummaries list');
  }
  return out.modelSummaries
    .filter((m) => m.modelId)
    .map((m) => ({
      modelId: m.modelId as string,
      ...(m.providerName ? { providerName: m.providerName } : {}),
      ...(m.inferenceTypesSupported ? { inferenceTypesSupported: m.inferenceTypesSupported } : {}),
      ...(m.modelLifecycle?.status ? { lifecycleStatus: m.modelLifecycle.status } : {}),
      ...isoField('legacyTime', m.modelLifecycle?.legacyTime),
      ...isoField('endOfLifeTime', m.modelLifecycle?.endOfLifeTime),
      ...(m.responseStreamingSupported !== undefined
        ? { responseStreamingSupported: m.responseStreamingSupported }
        : {}),
      ...(m.outputModalities ? { outputModalities: m.outputModalities } : {}),
    }));
}

async function listInferenceProfiles(
  client: BedrockClient,
  timeoutMs: number,
): Promise<InferenceProfileSummary[]> {
  const out: InferenceProfileSummary[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await bounded('ListInferenceProfiles', timeoutMs, (abortSignal) =>
      client.send(new ListInferenceProfilesCommand({ typeEquals: 'SYSTEM_DEFINED', nextToken }), {
        abortSignal,
      }),
    );
    if (!Array.isArray(answer.inferenceProfileSummaries)) {
      throw new NotACatalog('answer has no inferenceProfileSummaries list');
    }
    for (const p of answer.inferenceProfileSummaries) {
      if (p.inferenceProfileId) out.push({ inferenceProfileId: p.inferenceProfileId, type: p.type });
    }
    nextToken = answer.nextToken;
    if (!nextToken) return out;
  }
  throw new NotACatalog(`more than ${MAX_PAGES} pages of inference profiles: the listing never ends`);
}

/** A catalog date as ISO; an unparseable one is left out rather than failing the whole catalog. */
function isoField(name: string, value: Date | undefined): Record<string, string> {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? { [name]: value.toISOString() } : {};
}
