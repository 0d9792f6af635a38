/**
 * The Bedrock control plane (bedrock.{region}.amazonaws.com) as the real @aws-sdk/client-bedrock
 * calls it (restJson1: paths and query names from the SDK's own schema), each answered as the
 * request's region and account see it; `/_simulator/*` goes to the admin routes (admin.ts).
 */
import { randomUUID } from 'node:crypto';
import { accountAccess, enforcedGuardrailsOf } from '../account';
import { authError } from '../auth';
import { scenarioIn } from '../region';
import { lifecycleInstant } from '../scenario';
import type { HostHandler, HostPresence, Scenario, ScenarioModel, SimRequest, SimResponse } from '../types';
import { handleAdmin } from './admin';
import { recordRequest } from './exchange';

/** ListInferenceProfiles page size when maxResults is absent (guessed; AWS documents no default). */
export const DEFAULT_PAGE_SIZE = 100;

/** Regions a geography's system profile routes to (guessed sample sets; enough for ARNs). */
const GEO_REGIONS: Readonly<Record<string, readonly string[]>> = {
  us: ['us-east-1', 'us-east-2', 'us-west-2'],
  eu: ['eu-central-1', 'eu-west-1', 'eu-west-3'],
  apac: ['ap-northeast-1', 'ap-south-1', 'ap-southeast-2'],
  jp: ['ap-northeast-1', 'ap-northeast-3'],
  au: ['ap-southeast-2', 'ap-southeast-4'],
  'us-gov': ['us-gov-west-1', 'us-gov-east-1'],
  ca: ['ca-central-1', 'ca-west-1'],
  sa: ['sa-east-1'],
};
const GEO_NAMES: Readonly<Record<string, string>> = {
  us: 'US',
  eu: 'EU',
  apac: 'APAC',
  jp: 'JP',
  au: 'AU',
  'us-gov': 'US-GOV',
  ca: 'CA',
  sa: 'SA',
  global: 'Global',
};
const PROFILE_CREATED_AT = '2025-01-01T00:00:00Z';

export const handleControl: HostHandler = async (world, req, res) => {
  if (req.path.startsWith('/_simulator/')) return handleAdmin(world, req, res);
  const route = matchRoute(req);
  if (!route) return false;
  const denied = authError(req);
  if (denied) {
    res.writeHead(denied.status, denied.headers);
    res.end(denied.body);
    recordRequest(world, req, denied.status);
    return true;
  }
  const answer = route(scenarioIn(world.scenario, req.region), req, req.region, world.scenario);
  send(res, answer);
  recordRequest(world, req, answer.status);
  return true;
};

interface Answer {
  readonly status: number;
  readonly body: unknown;
  /** AWS error type for the x-amzn-errortype header. */
  readonly errorType?: string;
}

/**
 * One operation: `scenario` is the scenario as the request's region serves it, `whole` the
 * scenario itself (for what the region view hides, such as a model served elsewhere).
 */
type Route = (scenario: Scenario, req: SimRequest, region: string, whole: Scenario) => Answer;

function matchRoute(req: SimRequest): Route | null {
  if (req.method !== 'GET') return null;
  if (req.path === '/foundation-models') return listFoundationModels;
  if (req.path === '/inference-profiles') return listInferenceProfiles;
  if (req.path === '/enforcedGuardrailsConfiguration') return listEnforcedGuardrails;
  const guardrail = /^\/guardrails\/([^/]+)$/.exec(req.path);
  if (guardrail?.[1]) {
    const id = decodeURIComponent(guardrail[1]);
    return (s, r, region) => getGuardrail(s, id, r.query.get('guardrailVersion'), region, r.account);
  }
  const one = /^\/(foundation-models|foundation-model-availability|inference-profiles)\/([^/]+)$/.exec(
    req.path,
  );
  if (!one?.[1] || !one[2]) return null;
  const id = decodeURIComponent(one[2]);
  if (one[1] === 'foundation-models') return (s, _r, region) => getFoundationModel(s, id, region);
  if (one[1] === 'foundation-model-availability')
    return (s, r, _region, whole) => getAvailability(s, whole, r, id);
  return (s, r, region) => getInferenceProfile(s, id, region, r.account);
}

const fail = (status: number, errorType: string, message: string): Answer => ({
  status,
  errorType,
  body: { message },
});

/** Models the runtime catalog lists: runtime presence, listed, not end of life. */
function runtimeListed(scenario: Scenario): { model: ScenarioModel; presence: HostPresence }[] {
  return scenario.models.flatMap((model) => {
    const presence = model.runtime;
    if (!presence || presence.listed === false || presence.lifecycle === 'EOL') return [];
    return [{ model, presence }];
  });
}

function modelSummary(model: ScenarioModel, presence: HostPresence, region: string): Record<string, unknown> {
  const inferenceTypes = [
    ...(presence.onDemand === false ? [] : ['ON_DEMAND']),
    ...((presence.profiles?.length ?? 0) > 0 ? ['INFERENCE_PROFILE'] : []),
  ];
  const streams =
    presence.declaredStreaming ?? Object.values(presence.apis).some((s) => s?.features?.includes('stream'));
  const now = new Date();
  return {
    modelArn: foundationModelArn(region, presence.id),
    modelId: presence.id,
    modelName: model.name ?? model.key,
    providerName: model.provider,
    inputModalities: ['TEXT'],
    outputModalities: ['TEXT'],
    responseStreamingSupported: streams,
    customizationsSupported: [],
    inferenceTypesSupported: inferenceTypes,
    modelLifecycle: {
      status: presence.lifecycle === 'LEGACY' ? 'LEGACY' : 'ACTIVE',
      // Bedrock's model marks these timestamps `date-time`: RFC 3339 strings on the wire (the
      // SDK's deserializer refuses anything else).
      ...(presence.legacyTime && { legacyTime: lifecycleInstant(presence.legacyTime, now).toISOString() }),
      ...(presence.endOfLifeTime && {
        endOfLifeTime: lifecycleInstant(presence.endOfLifeTime, now).toISOString(),
      }),
    },
  };
}

function listFoundationModels(scenario: Scenario, req: SimRequest, region: string): Answer {
  const byProvider = req.query.get('byProvider')?.toLowerCase();
  const byInferenceType = req.query.get('byInferenceType');
  const byOutputModality = req.query.get('byOutputModality');
  const byCustomizationType = req.query.get('byCustomizationType');
  const summaries = runtimeListed(scenario)
    .map(({ model, presence }) => modelSummary(model, presence, region))
    .filter((s) => !byProvider || String(s.providerName).toLowerCase() === byProvider)
    .filter((s) => !byInferenceType || (s.inferenceTypesSupported as string[]).includes(byInferenceType))
    .filter((s) => !byOutputModality || (s.outputModalities as string[]).includes(byOutputModality))
    // The simulator models no customisable models, so any customisation filter empties the list.
    .filter(() => !byCustomizationType);
  return { status: 200, body: { modelSummaries: summaries } };
}

function findRuntime(
  scenario: Scenario,
  modelId: string,
): { model: ScenarioModel; presence: HostPresence } | null {
  const id = modelId.startsWith('arn:') ? modelId.slice(modelId.lastIndexOf('/') + 1) : modelId;
  for (const model of scenario.models) {
    if (model.runtime?.id === id) return { model, presence: model.runtime };
  }
  return null;
}

function getFoundationModel(scenario: Scenario, modelId: string, region: string): Answer {
  const found = findRuntime(scenario, modelId);
  if (!found || found.presence.lifecycle === 'EOL') {
    // Guessed wording (no public capture of GetFoundationModel's not-found body).
    return fail(
      404,
      'ResourceNotFoundException',
      'Could not resolve the foundation model from the provided model identifier.',
    );
  }
  return { status: 200, body: { modelDetails: modelSummary(found.model, found.presence, region) } };
}

/**
 * GetFoundationModelAvailability, as the request's account sees the model in the request's region
 * (docs/bedrock-wire.md "Accounts on the wire"). It separates "no access" from "broken"; the API
 * reference names the fields without saying what sets them, so the mapping per access is guessed.
 * An account's SCP or IAM deny does not show here (no public source says it does): only a probe finds it.
 */
function getAvailability(regional: Scenario, whole: Scenario, req: SimRequest, modelId: string): Answer {
  const found = findRuntime(whole, modelId);
  if (!found) {
    return fail(
      404,
      'ResourceNotFoundException',
      'Could not resolve the foundation model from the provided model identifier.',
    );
  }
  const own = found.presence.access ?? 'granted';
  const withoutAccess = accountAccess(whole, req.account, found.model.key) === 'without-access';
  // The account's missing access reads as the scenario's `access: denied`, as its calls do (world.ts).
  const access = withoutAccess && own !== 'iam-denied' ? 'denied' : own;
  const granted = access === 'granted';
  const served = findRuntime(regional, modelId) !== null && found.presence.lifecycle !== 'EOL';
  return {
    status: 200,
    body: {
      modelId: found.presence.id,
      agreementAvailability: { status: access === 'denied' ? 'NOT_AVAILABLE' : 'AVAILABLE' },
      authorizationStatus: granted ? 'AUTHORIZED' : 'NOT_AUTHORIZED',
      entitlementAvailability: granted ? 'AVAILABLE' : 'NOT_AVAILABLE',
      regionAvailability: served ? 'AVAILABLE' : 'NOT_AVAILABLE',
    },
  };
}

function allProfiles(scenario: Scenario, region: string, account: string): Record<string, unknown>[] {
  return scenario.models.flatMap((model) => {
    const presence = model.runtime;
    if (!presence) return [];
    return (presence.profiles ?? []).map((profileId) =>
      profileSummary(model, presence, profileId, region, account),
    );
  });
}

function profileSummary(
  model: ScenarioModel,
  presence: HostPresence,
  profileId: string,
  region: string,
  account: string,
): Record<string, unknown> {
  const geo = profileId.slice(0, profileId.indexOf('.'));
  const regions = geo === 'global' ? [region] : (GEO_REGIONS[geo] ?? [region]);
  const models = regions.map((r) => ({ modelArn: foundationModelArn(r, presence.id) }));
  // global. profiles also name the region-less foundation-model ARN (DESIGN machine notes).
  if (geo === 'global') models.push({ modelArn: `arn:aws:bedrock:::foundation-model/${presence.id}` });
  const modelName = model.name ?? model.key;
  return {
    inferenceProfileName: `${GEO_NAMES[geo] ?? geo.toUpperCase()} ${modelName}`,
    description: `Routes requests to ${modelName} in ${geo === 'global' ? 'any commercial region' : regions.join(', ')}.`,
    createdAt: PROFILE_CREATED_AT,
    updatedAt: PROFILE_CREATED_AT,
    inferenceProfileArn: `arn:aws:bedrock:${region}:${account}:inference-profile/${profileId}`,
    models,
    inferenceProfileId: profileId,
    status: 'ACTIVE',
    type: 'SYSTEM_DEFINED',
  };
}

function listInferenceProfiles(scenario: Scenario, req: SimRequest, region: string): Answer {
  const type = req.query.get('type');
  if (type !== null && type !== 'SYSTEM_DEFINED' && type !== 'APPLICATION') {
    return fail(
      400,
      'ValidationException',
      `1 validation error detected: Value '${type}' at 'typeEquals' failed to satisfy constraint: Member must satisfy enum value set: [SYSTEM_DEFINED, APPLICATION]`,
    );
  }
  const rawMax = req.query.get('maxResults');
  const maxResults = rawMax === null ? DEFAULT_PAGE_SIZE : Number(rawMax);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000) {
    return fail(
      400,
      'ValidationException',
      `1 validation error detected: Value '${rawMax}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000`,
    );
  }
  const token = req.query.get('nextToken');
  const start = token === null ? 0 : decodePageToken(token);
  if (start === null) return fail(400, 'ValidationException', 'The provided pagination token is invalid.');
  // The simulator has only system profiles: an APPLICATION filter answers an empty page.
  const profiles = type === 'APPLICATION' ? [] : allProfiles(scenario, region, req.account);
  const page = profiles.slice(start, start + maxResults);
  const next = start + maxResults < profiles.length ? encodePageToken(start + maxResults) : undefined;
  return { status: 200, body: { inferenceProfileSummaries: page, ...(next && { nextToken: next }) } };
}

function getInferenceProfile(scenario: Scenario, idOrArn: string, region: string, account: string): Answer {
  const id = idOrArn.startsWith('arn:') ? idOrArn.slice(idOrArn.lastIndexOf('/') + 1) : idOrArn;
  const found = allProfiles(scenario, region, account).find((p) => p.inferenceProfileId === id);
  if (!found) return fail(404, 'ResourceNotFoundException', 'Inference profile not found.');
  return { status: 200, body: found };
}

/**
 * GetGuardrail (`GET /guardrails/{id}?guardrailVersion=V`): the scenario guardrail's configured
 * messages, so the prober can recognise a block by any guardrail, not only the stack's. The
 * identifier may be the ID or the ARN; a version the guardrail lacks is a 404.
 */
function getGuardrail(
  scenario: Scenario,
  idOrArn: string,
  version: string | null,
  region: string,
  account: string,
): Answer {
  const id = idOrArn.startsWith('arn:') ? idOrArn.slice(idOrArn.lastIndexOf('/') + 1) : idOrArn;
  const g = scenario.guardrails.find((x) => x.id === id);
  const v = version ?? 'DRAFT';
  if (!g || (v !== 'DRAFT' && !g.versions.includes(v))) {
    // Guessed wording: no public capture of GetGuardrail's not-found body.
    return fail(404, 'ResourceNotFoundException', `Guardrail ${id} version ${v} was not found.`);
  }
  return {
    status: 200,
    body: {
      name: g.id,
      guardrailId: g.id,
      guardrailArn: `arn:aws:bedrock:${region}:${account}:guardrail/${g.id}`,
      version: v,
      status: 'READY',
      createdAt: PROFILE_CREATED_AT,
      updatedAt: PROFILE_CREATED_AT,
      blockedInputMessaging: g.blockedInputMessage,
      blockedOutputsMessaging: g.blockedOutputMessage,
      wordPolicy: { words: g.words.map((text) => ({ text })) },
    },
  };
}

/** ListEnforcedGuardrailsConfiguration: the request account's enforced guardrails (account.ts), one page. */
function listEnforcedGuardrails(
  _scenario: Scenario,
  req: SimRequest,
  region: string,
  whole: Scenario,
): Answer {
  const configs = enforcedGuardrailsOf(whole, req.account).map((e, i) => ({
    configId: `cfg-${i + 1}`,
    guardrailArn: `arn:aws:bedrock:${region}:${req.account}:guardrail/${e.guardrailId}`,
    guardrailId: e.guardrailId,
    guardrailVersion: e.guardrailVersion,
    owner: 'ACCOUNT',
    createdAt: PROFILE_CREATED_AT,
    updatedAt: PROFILE_CREATED_AT,
    ...((e.includedModels ?? e.excludedModels)
      ? {
          modelEnforcement: {
            includedModels: e.includedModels ?? [],
            excludedModels: e.excludedModels ?? [],
          },
        }
      : {}),
  }));
  return { status: 200, body: { guardrailsConfig: configs } };
}

function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decodePageToken(token: string): number | null {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown };
    return Number.isInteger(parsed.offset) && (parsed.offset as number) >= 0
      ? (parsed.offset as number)
      : null;
  } catch {
    return null;
  }
}

function foundationModelArn(region: string, id: string): string {
  return `arn:aws:bedrock:${region}::foundation-model/${id}`;
}

function send(res: SimResponse, answer: Answer): void {
  res.writeHead(answer.status, {
    'content-type': 'application/json',
    'x-amzn-requestid': randomUUID(),
    ...(answer.errorType && { 'x-amzn-errortype': answer.errorType }),
  });
  res.end(JSON.stringify(answer.body));
}
