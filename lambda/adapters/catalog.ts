/**
 * Discover step, I/O half: the three catalogs of one region. A catalog that fails to answer is
 * `null` (its cells become transient `error`), never an empty list (which would read as every
 * model disappearing).
 */
import {
  type BedrockClient,
  ListFoundationModelsCommand,
  paginateListInferenceProfiles,
} from '@aws-sdk/client-bedrock';
import type OpenAI from 'openai';
import type { CatalogResult, FoundationModelSummary, InferenceProfileSummary } from '../core/resolve';
import { trimMessage } from '../core/scrub';

export interface CatalogClients {
  readonly bedrock: BedrockClient;
  /** An OpenAI client on the mantle host's `/v1` route, authenticated with a bearer token. */
  readonly mantle: OpenAI;
}

export async function loadCatalogs(clients: CatalogClients): Promise<CatalogResult> {
  const problems: string[] = [];
  const guard = async <T>(name: string, load: () => Promise<T>): Promise<T | null> => {
    try {
      return await load();
    } catch (err) {
      problems.push(`${name}: ${trimMessage(errorText(err), 200)}`);
      return null;
    }
  };
  const [mantle, foundationModels, inferenceProfiles] = await Promise.all([
    guard('mantle /v1/models', () => listMantleModels(clients.mantle)),
    guard('ListFoundationModels', () => listFoundationModels(clients.bedrock)),
    guard('ListInferenceProfiles', () => listInferenceProfiles(clients.bedrock)),
  ]);
  return { catalogs: { mantle, foundationModels, inferenceProfiles }, problems };
}

async function listMantleModels(client: OpenAI): Promise<string[]> {
  const ids: string[] = [];
  for await (const model of client.models.list()) ids.push(model.id);
  return ids;
}

async function listFoundationModels(client: BedrockClient): Promise<FoundationModelSummary[]> {
  const out = await client.send(new ListFoundationModelsCommand({}));
  return (out.modelSummaries ?? [])
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

async function listInferenceProfiles(client: BedrockClient): Promise<InferenceProfileSummary[]> {
  const out: InferenceProfileSummary[] = [];
  for await (const page of paginateListInferenceProfiles({ client }, { typeEquals: 'SYSTEM_DEFINED' })) {
    for (const p of page.inferenceProfileSummaries ?? []) {
      if (p.inferenceProfileId) out.push({ inferenceProfileId: p.inferenceProfileId, type: p.type });
    }
  }
  return out;
}

/** A catalog date as ISO; an unparseable one is left out rather than failing the whole catalog. */
function isoField(name: string, value: Date | undefined): Record<string, string> {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? { [name]: value.toISOString() } : {};
}

function errorText(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as {
      name?: string;
      message?: string;
      status?: number;
      $metadata?: { httpStatusCode?: number };
    };
    const status = e.status ?? e.$metadata?.httpStatusCode;
    return `${e.name ?? 'Error'}${status ? ` ${status}` : ''}: ${e.message ?? ''}`;
  }
  return String(err);
}
