/**
 * The World: the live scenario plus its bookkeeping (fault counters, stored responses, call log).
 * Every inference decision is taken here so all hosts agree on what a model supports.
 */
import { type AccountAccess, accountAccess, DEFAULT_SIM_ACCOUNT, defaultAccount } from './account';
import { FAULT_MESSAGES, faultState } from './faults';
import { scenarioIn } from './region';
import type {
  CallRecord,
  CallRequest,
  Decision,
  GuardrailVerdict,
  Host,
  HostPresence,
  LatencySpec,
  Scenario,
  ScenarioModel,
  SimError,
  StoredResponse,
  World,
} from './types';

/** The call log keeps this many newest entries so a long-running simulator cannot grow unbounded. */
export const MAX_CALLS = 10_000;

export interface WorldOptions {
  /** Random source in [0,1) for uniform latency. @default Math.random */
  readonly random?: () => number;
  /** How to wait (tests inject a recorder). @default setTimeout-based sleep */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default MAX_CALLS */
  readonly maxCalls?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Messages quoted from docs/bedrock-wire.md where it gives them. */
export const MESSAGES = {
  runtimeInvalidId: 'The provided model identifier is invalid.',
  runtimeNoAccess: "You don't have access to the model with the specified model ID.",
  mantleNoAccess: 'Model access is not enabled',
  legacy:
    'Access denied. This Model is marked by provider as Legacy and you have not been actively using the model in the last 15 days.',
  endOfLife: 'This model version has reached the end of its life.',
  runtimeUnsupportedModel:
    "This action doesn't support the model that you provided. Try again with a supported text or chat model.",
  ...FAULT_MESSAGES,
  // Guessed: no public source quotes the unknown-guardrail message.
  guardrailNotFound: 'The guardrail identifier or version provided in the request does not exist.',
} as const;

/** Runtime `/openai/v1` answers an unknown model and an unsupported api alike (docs/bedrock-wire.md). */
export const RUNTIME_OPENAI_NOT_FOUND =
  "The model doesn't exist or doesn't support this API. Retry your request with a different model ID.";

/** Why IAM refused: no policy allows the action (implicit), or an SCP denies it (explicit). */
const DENIAL_REASONS = {
  implicit: 'because no identity-based policy allows the bedrock:InvokeModel action',
  scp: 'with an explicit deny in a service control policy',
} as const;

/**
 * IAM's own denial of the caller's role (docs/bedrock-wire.md): `access: iam-denied` (implicit, in
 * the default account and us-east-1), or an account's `denied` model (an SCP's explicit deny,
 * naming that account and the call's region).
 */
export const iamDeniedMessage = (
  id: string,
  by: { readonly account: string; readonly region: string; readonly reason: keyof typeof DENIAL_REASONS } = {
    account: DEFAULT_SIM_ACCOUNT,
    region: 'us-east-1',
    reason: 'implicit',
  },
): string =>
  `User: arn:aws:sts::${by.account}:assumed-role/bedrock-matrix-prober/probe is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:${by.region}::foundation-model/${id} ${DENIAL_REASONS[by.reason]}`;

export const needsProfileMessage = (id: string): string =>
  `Invocation of model ID ${id} with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`;
export const mantleNotFoundMessage = (id: string): string => `The model '${id}' does not exist`;
export const unsupportedApiMessage = (id: string, path: string): string =>
  `The model '${id}' does not support the '${path}' API`;

export function createWorld(initial: Scenario, options: WorldOptions = {}): World {
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;
  const maxCalls = options.maxCalls ?? MAX_CALLS;
  let scenario = initial;
  let faults = faultState(initial.faults, initial.seed);
  const calls: CallRecord[] = [];
  const responses = new Map<string, StoredResponse>();

  const world: World = {
    get scenario() {
      return scenario;
    },
    responses,
    get calls() {
      return calls;
    },
    record(call) {
      calls.push(call);
      if (calls.length > maxCalls) calls.splice(0, calls.length - maxCalls);
    },
    setScenario(next) {
      scenario = next;
      faults = faultState(next.faults, next.seed);
    },
    wireFault(req) {
      return faults.wireFault(req);
    },
    async decide(req) {
      // Capture once: a scenario swap mid-call must not mix two scenarios in one decision.
      const current = scenario;
      const state = faults;
      const latency = latencyMs(current.latency, random);
      if (latency > 0) await sleep(latency);

      // A model the call's region does not serve is unknown there, as in its catalogs.
      const found = findModel(scenarioIn(current, req.region), req.host, req.modelId);
      const faultError = await state.callFault(req, found?.model.key ?? null, sleep);
      if (faultError) return { ok: false, error: faultError };
      const account = req.account ?? defaultAccount(current);
      const access = found ? accountAccess(current, account, found.model.key) : 'granted';
      const decision = resolve(current, { ...req, account }, found, access);
      return decision.ok && state.streamFails(req, found?.model.key ?? null)
        ? { ...decision, streamFails: true }
        : decision;
    },
    checkGuardrail(id, version, text, source): GuardrailVerdict {
      const bareId = id.includes(':guardrail/') ? id.slice(id.lastIndexOf('/') + 1) : id;
      const guardrail = scenario.guardrails.find((g) => g.id === bareId);
      if (!guardrail || !(version === 'DRAFT' || guardrail.versions.includes(version))) {
        return {
          found: false,
          error: { kind: 'not-found', status: 400, message: MESSAGES.guardrailNotFound },
        };
      }
      const lower = text.toLowerCase();
      const matchedWord = guardrail.words.find((w) => w.length > 0 && lower.includes(w.toLowerCase()));
      if (matchedWord === undefined) return { found: true, blocked: false };
      const message = source === 'INPUT' ? guardrail.blockedInputMessage : guardrail.blockedOutputMessage;
      return { found: true, blocked: true, message, matchedWord };
    },
  };
  return world;
}

/** Milliseconds of configured latency for one call. */
export function latencyMs(spec: LatencySpec | undefined, random: () => number): number {
  if (!spec) return 0;
  if ('fixedMs' in spec) return spec.fixedMs;
  return Math.round(spec.minMs + (spec.maxMs - spec.minMs) * random());
}

interface Found {
  readonly model: ScenarioModel;
  readonly presence: HostPresence;
  /** The ID after stripping an ARN, as the host's messages quote it. */
  readonly id: string;
  /** Reached through a system inference profile (runtime only). */
  readonly viaProfile: boolean;
}

/** Model IDs may arrive as ARNs (foundation-model/… or inference-profile/…); the host matches the tail. */
function bareId(modelId: string): string {
  return modelId.startsWith('arn:') ? modelId.slice(modelId.lastIndexOf('/') + 1) : modelId;
}

function findModel(scenario: Scenario, host: Host, modelId: string): Found | null {
  const id = bareId(modelId);
  for (const model of scenario.models) {
    const presence = model[host];
    if (!presence) continue;
    if (presence.id === id) return { model, presence, id, viaProfile: false };
    if (host === 'runtime' && presence.profiles?.includes(id))
      return { model, presence, id, viaProfile: true };
  }
  return null;
}

function fail(kind: SimError['kind'], status: number, message: string): Decision {
  return { ok: false, error: { kind, status, message } };
}

function resolve(
  scenario: Scenario,
  req: CallRequest & { readonly account: string },
  found: Found | null,
  access: AccountAccess,
): Decision {
  const mantle = req.host === 'mantle';
  const sentId = bareId(req.modelId);
  const runtimeOpenAi = !mantle && (req.api === 'chat' || req.api === 'responses');
  if (!found) {
    if (runtimeOpenAi) return fail('not-found', 404, RUNTIME_OPENAI_NOT_FOUND);
    return mantle
      ? fail('not-found', 404, mantleNotFoundMessage(sentId))
      : fail('invalid-id', 400, MESSAGES.runtimeInvalidId);
  }
  const { model, presence, id } = found;
  if (!mantle && !found.viaProfile && presence.onDemand === false) {
    return fail('needs-profile', 400, needsProfileMessage(id));
  }
  if (presence.access === 'iam-denied') return fail('iam-denied', 403, iamDeniedMessage(id));
  if (access === 'denied') {
    return fail(
      'iam-denied',
      403,
      iamDeniedMessage(id, { account: req.account, region: req.region, reason: 'scp' }),
    );
  }
  if (presence.access === 'denied' || access === 'without-access') {
    return fail('no-access', 403, mantle ? MESSAGES.mantleNoAccess : MESSAGES.runtimeNoAccess);
  }
  if (presence.access === 'legacy-locked') return fail('legacy-locked', 404, MESSAGES.legacy);
  if (presence.lifecycle === 'EOL') return fail('end-of-life', 404, MESSAGES.endOfLife);

  const support = presence.apis[req.api];
  if (!support) {
    if (!mantle && (req.api === 'converse' || req.api === 'invoke')) {
      return fail('unsupported-api', 400, MESSAGES.runtimeUnsupportedModel);
    }
    if (runtimeOpenAi) return fail('not-found', 404, RUNTIME_OPENAI_NOT_FOUND);
    // Runtime messages: no public source; both hosts run one engine (docs/bedrock-wire.md), so the runtime
    // answers with mantle's wording. Guessed.
    return fail('unsupported-api', 400, unsupportedApiMessage(id, req.path));
  }
  if (mantle && req.route !== null && support.routes && support.routes.length > 0) {
    if (!support.routes.includes(req.route)) {
      return scenario.wrongRouteStatus === 401
        ? fail('wrong-route', 401, `The model ${id} is not enabled on this route`)
        : fail('wrong-route', 400, `model ${id} isn't supported on this route`);
    }
  }
  const features = support.features ?? [];
  const missing = req.features.find((f) => !features.includes(f));
  if (missing !== undefined)
    return fail('unsupported-feature', 400, unsupportedFeatureMessage(req, id, missing));

  const guardrail = scenario.guardrailBehaviour[req.host]?.[req.api] ?? 'ignored';
  return { ok: true, model, guardrail };
}

/** Guessed wording: the facts sheet only says runtime Responses refuses background with a 400. */
function unsupportedFeatureMessage(req: CallRequest, id: string, feature: string): string {
  if (feature === 'background') {
    return req.host === 'runtime'
      ? 'background mode is not supported: Responses on bedrock-runtime are synchronous only'
      : `The model '${id}' does not support background mode on '${req.path}'`;
  }
  if (feature === 'tools' && req.host === 'runtime' && req.api === 'converse') {
    return "This model doesn't support tool use.";
  }
  if (feature === 'stream' && req.host === 'runtime' && (req.api === 'converse' || req.api === 'invoke')) {
    return 'The model is unsupported for streaming.';
  }
  const what = feature === 'stateful' ? 'stored responses (previous_response_id)' : feature;
  return `The model '${id}' does not support ${what} on the '${req.path}' API`;
}
