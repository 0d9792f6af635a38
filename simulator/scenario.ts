/**
 * Scenario files: loading and strict validation. A scenario is the whole behaviour of the
 * simulator, so a typo must fail loudly (one line naming the file, the field path and the bad
 * value) rather than silently turn a model into "not found".
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseFault } from './faults';
import { parseAccountId, parseAccounts, parseEnforcedGuardrails } from './scenario-accounts';
import { parseRegion, parseRegions } from './scenario-regions';
import { HOST_SURFACE, hostApis, PROFILE_PREFIX, SIM_FEATURES, SIM_HOSTS } from './surface';
import type {
  ApiSupport,
  GuardrailBehaviour,
  Host,
  HostPresence,
  LatencySpec,
  ModelFamily,
  Scenario,
  ScenarioGuardrail,
  ScenarioModel,
  SimApi,
} from './types';
import { LIMITS, oneLine, ScenarioError, Validator } from './validate';

export const DEFAULT_SCENARIO = 'today';

export { ScenarioError };

const HOSTS = SIM_HOSTS;
const FAMILIES: readonly ModelFamily[] = ['anthropic', 'gpt-oss', 'nova', 'meta', 'mistral', 'other'];
const BEHAVIOURS: readonly GuardrailBehaviour[] = ['enforced', 'ignored'];
const ACCESS = ['granted', 'denied', 'legacy-locked', 'iam-denied'] as const;
const LIFECYCLE = ['ACTIVE', 'LEGACY', 'EOL'] as const;

export { LIMITS };

const SCENARIO_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** Validate a parsed scenario; `source` (file name) prefixes every error message. */
export function parseScenario(value: unknown, source: string): Scenario {
  const v = new Validator(source);
  const root = v.object(value, '', [
    'name',
    'description',
    'defaultAccount',
    'accounts',
    'defaultRegion',
    'regions',
    'guardrailBehaviour',
    'guardrails',
    'enforcedGuardrails',
    'wrongRouteStatus',
    'latency',
    'seed',
    'faults',
    'models',
  ]);
  const name = v.string(root.name, 'name');
  if (!SCENARIO_NAME.test(name)) v.fail('name', 'must be lower-case letters, digits and dashes', name);
  const description = root.description === undefined ? undefined : v.string(root.description, 'description');
  const guardrailBehaviour = parseBehaviour(v, root.guardrailBehaviour);
  const guardrails = v
    .array(root.guardrails, 'guardrails')
    .map((g, i) => parseGuardrail(v, g, `guardrails[${i}]`));
  v.unique(
    guardrails.map((g) => g.id),
    'guardrails',
    'id',
  );
  const enforcedGuardrails =
    root.enforcedGuardrails === undefined
      ? undefined
      : parseEnforcedGuardrails(v, root.enforcedGuardrails, 'enforcedGuardrails');
  let wrongRouteStatus: 400 | 401 | undefined;
  if (root.wrongRouteStatus !== undefined) {
    if (root.wrongRouteStatus !== 400 && root.wrongRouteStatus !== 401) {
      v.fail('wrongRouteStatus', 'must be 400 or 401', root.wrongRouteStatus);
    }
    wrongRouteStatus = root.wrongRouteStatus as 400 | 401;
  }
  const latency = root.latency === undefined ? undefined : parseLatency(v, root.latency, 'latency');
  const seed = root.seed === undefined ? undefined : v.int(root.seed, 'seed', 0, LIMITS.seed);
  const faults =
    root.faults === undefined
      ? undefined
      : v.array(root.faults, 'faults').map((f, i) => parseFault(v, f, `faults[${i}]`));
  const models = v.array(root.models, 'models').map((m, i) => parseModel(v, m, `models[${i}]`));
  checkModelIdentity(v, models);
  const defaultRegion =
    root.defaultRegion === undefined ? undefined : parseRegion(v, root.defaultRegion, 'defaultRegion');
  const regions = root.regions === undefined ? undefined : parseRegions(v, root.regions, models);
  const defaultAccount =
    root.defaultAccount === undefined ? undefined : parseAccountId(v, root.defaultAccount, 'defaultAccount');
  const accounts = root.accounts === undefined ? undefined : parseAccounts(v, root.accounts, models);

  return {
    name,
    ...(description !== undefined && { description }),
    ...(defaultAccount !== undefined && { defaultAccount }),
    ...(accounts !== undefined && { accounts }),
    ...(defaultRegion !== undefined && { defaultRegion }),
    ...(regions !== undefined && { regions }),
    guardrailBehaviour,
    guardrails,
    ...(enforcedGuardrails !== undefined && { enforcedGuardrails }),
    ...(wrongRouteStatus !== undefined && { wrongRouteStatus }),
    ...(latency !== undefined && { latency }),
    ...(seed !== undefined && { seed }),
    ...(faults !== undefined && { faults }),
    models,
  };
}

/** Directory of the shipped scenarios, resolved from this module so any working directory works. */
export function scenariosDir(): string {
  return fileURLToPath(new URL('./scenarios/', import.meta.url));
}

/** Names of the shipped scenarios (file names without `.json`), sorted. */
export async function listScenarios(): Promise<string[]> {
  const files = await readdir(scenariosDir());
  return files
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/**
 * Load a scenario: a bare name (`today`, `may-2026`) is a shipped scenario, anything else a file
 * path. Unreadable files and bad JSON are ScenarioErrors too, so callers handle one error type.
 */
export async function loadScenario(nameOrPath: string): Promise<Scenario> {
  const shipped = SCENARIO_NAME.test(nameOrPath);
  const path = shipped ? `${scenariosDir()}${nameOrPath}.json` : nameOrPath;
  const source = shipped ? `${nameOrPath}.json` : nameOrPath;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (shipped && code === 'ENOENT') {
      const known = await listScenarios().catch(() => []);
      throw new ScenarioError(`${source}: no such scenario "${nameOrPath}" (known: ${known.join(', ')})`);
    }
    throw new ScenarioError(`${source}: cannot read scenario file (${code ?? (err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(`${source}: invalid JSON: ${oneLine((err as Error).message)}`);
  }
  return parseScenario(json, source);
}

function parseBehaviour(v: Validator, value: unknown): Scenario['guardrailBehaviour'] {
  const obj = v.object(value, 'guardrailBehaviour', HOSTS);
  const out: Partial<Record<Host, Partial<Record<SimApi, GuardrailBehaviour>>>> = {};
  for (const host of HOSTS) {
    if (obj[host] === undefined) continue;
    const path = `guardrailBehaviour.${host}`;
    const perApi = v.object(obj[host], path, hostApis(host));
    const apis: Partial<Record<SimApi, GuardrailBehaviour>> = {};
    for (const api of hostApis(host)) {
      if (perApi[api] !== undefined) apis[api] = v.oneOf(perApi[api], `${path}.${api}`, BEHAVIOURS);
    }
    out[host] = apis;
  }
  return out;
}

function parseGuardrail(v: Validator, value: unknown, path: string): ScenarioGuardrail {
  const g = v.object(value, path, ['id', 'versions', 'words', 'blockedInputMessage', 'blockedOutputMessage']);
  const id = v.string(g.id, `${path}.id`);
  const versions = v.array(g.versions, `${path}.versions`).map((ver, i) => {
    const s = v.string(ver, `${path}.versions[${i}]`);
    // Numeric versions only: DRAFT always exists and CFN versions are 1..99999999 (docs/bedrock-wire.md).
    if (!/^[1-9][0-9]{0,7}$/.test(s))
      v.fail(`${path}.versions[${i}]`, 'version must be a number like "1"', s);
    return s;
  });
  const words = v.array(g.words, `${path}.words`).map((w, i) => v.string(w, `${path}.words[${i}]`));
  if (words.length === 0) v.fail(`${path}.words`, 'needs at least one word', g.words);
  const blockedInputMessage = v.message(g.blockedInputMessage, `${path}.blockedInputMessage`);
  const blockedOutputMessage = v.message(g.blockedOutputMessage, `${path}.blockedOutputMessage`);
  return { id, versions, words, blockedInputMessage, blockedOutputMessage };
}

function parseLatency(v: Validator, value: unknown, path: string): LatencySpec {
  const obj = v.object(value, path, ['fixedMs', 'minMs', 'maxMs']);
  if (obj.fixedMs !== undefined) {
    if (obj.minMs !== undefined || obj.maxMs !== undefined) {
      v.fail(path, 'give either fixedMs or minMs+maxMs, not both', value);
    }
    return { fixedMs: v.int(obj.fixedMs, `${path}.fixedMs`, 0, LIMITS.delayMs) };
  }
  if (obj.minMs === undefined || obj.maxMs === undefined)
    v.fail(path, 'needs fixedMs or both minMs and maxMs', value);
  const minMs = v.int(obj.minMs, `${path}.minMs`, 0, LIMITS.delayMs);
  const maxMs = v.int(obj.maxMs, `${path}.maxMs`, 0, LIMITS.delayMs);
  if (maxMs < minMs) v.fail(`${path}.maxMs`, `must be >= minMs (${minMs})`, maxMs);
  return { minMs, maxMs };
}

function parseModel(v: Validator, value: unknown, path: string): ScenarioModel {
  const m = v.object(value, path, [
    'key',
    'provider',
    'name',
    'family',
    'thinksByDefault',
    'runtime',
    'mantle',
  ]);
  const key = v.string(m.key, `${path}.key`);
  const provider = v.string(m.provider, `${path}.provider`);
  const name = m.name === undefined ? undefined : v.string(m.name, `${path}.name`);
  const family = v.oneOf(m.family, `${path}.family`, FAMILIES);
  const runtime =
    m.runtime === undefined ? undefined : parsePresence(v, m.runtime, `${path}.runtime`, 'runtime');
  const mantle = m.mantle === undefined ? undefined : parsePresence(v, m.mantle, `${path}.mantle`, 'mantle');
  if (!runtime && !mantle) v.fail(path, 'model needs a runtime or a mantle presence', key);
  if (m.thinksByDefault !== undefined && typeof m.thinksByDefault !== 'boolean') {
    v.fail(`${path}.thinksByDefault`, 'expected true or false', m.thinksByDefault);
  }
  return {
    key,
    provider,
    ...(name !== undefined && { name }),
    family,
    ...(m.thinksByDefault === true && { thinksByDefault: true }),
    ...(runtime && { runtime }),
    ...(mantle && { mantle }),
  };
}

function parsePresence(v: Validator, value: unknown, path: string, host: Host): HostPresence {
  const allowed =
    host === 'runtime'
      ? [
          'id',
          'listed',
          'onDemand',
          'profiles',
          'access',
          'lifecycle',
          'legacyTime',
          'endOfLifeTime',
          'declaredStreaming',
          'apis',
        ]
      : ['id', 'listed', 'access', 'lifecycle', 'apis'];
  const p = v.object(value, path, allowed);
  const id = v.string(p.id, `${path}.id`);
  if (host === 'mantle' && PROFILE_PREFIX.test(id)) {
    v.fail(`${path}.id`, 'mantle IDs are bare, without an inference-profile prefix', id);
  }
  const listed = p.listed === undefined ? undefined : v.bool(p.listed, `${path}.listed`);
  const onDemand = p.onDemand === undefined ? undefined : v.bool(p.onDemand, `${path}.onDemand`);
  const profiles =
    p.profiles === undefined
      ? undefined
      : v.array(p.profiles, `${path}.profiles`).map((x, i) => {
          const s = v.string(x, `${path}.profiles[${i}]`);
          if (!PROFILE_PREFIX.test(s))
            v.fail(`${path}.profiles[${i}]`, 'profile ID must start with a geography like "us."', s);
          return s;
        });
  if (onDemand === false && (profiles?.length ?? 0) === 0) {
    v.fail(`${path}.onDemand`, 'a model without on-demand throughput needs at least one profile', false);
  }
  const access = p.access === undefined ? undefined : v.oneOf(p.access, `${path}.access`, ACCESS);
  const lifecycle =
    p.lifecycle === undefined ? undefined : v.oneOf(p.lifecycle, `${path}.lifecycle`, LIFECYCLE);
  const legacyTime =
    p.legacyTime === undefined ? undefined : lifecycleTime(v, p.legacyTime, `${path}.legacyTime`);
  const endOfLifeTime =
    p.endOfLifeTime === undefined ? undefined : lifecycleTime(v, p.endOfLifeTime, `${path}.endOfLifeTime`);
  const declaredStreaming =
    p.declaredStreaming === undefined ? undefined : v.bool(p.declaredStreaming, `${path}.declaredStreaming`);
  const apisObj = v.object(p.apis, `${path}.apis`, hostApis(host));
  const apis: Partial<Record<SimApi, ApiSupport>> = {};
  for (const api of hostApis(host)) {
    if (apisObj[api] !== undefined)
      apis[api] = parseSupport(v, apisObj[api], `${path}.apis.${api}`, host, api);
  }
  return {
    id,
    ...(listed !== undefined && { listed }),
    ...(onDemand !== undefined && { onDemand }),
    ...(profiles !== undefined && { profiles }),
    ...(access !== undefined && { access }),
    ...(lifecycle !== undefined && { lifecycle }),
    ...(legacyTime !== undefined && { legacyTime }),
    ...(endOfLifeTime !== undefined && { endOfLifeTime }),
    ...(declaredStreaming !== undefined && { declaredStreaming }),
    apis,
  };
}

const DAYS_AHEAD = /^P(\d{1,4})D$/;

/** An ISO 8601 time, or `P<n>D` (n whole days from when the catalog answers). */
function lifecycleTime(v: Validator, value: unknown, path: string): string {
  const s = v.string(value, path);
  if (!DAYS_AHEAD.test(s) && Number.isNaN(Date.parse(s)))
    v.fail(path, 'must be an ISO 8601 time or a day duration like "P10D"', s);
  return s;
}

/** The instant a scenario lifecycle value (see `lifecycleTime`) names, as of `now`. */
export function lifecycleInstant(value: string, now: Date): Date {
  const days = DAYS_AHEAD.exec(value);
  return days ? new Date(now.getTime() + Number(days[1]) * 86_400_000) : new Date(value);
}

function parseSupport(v: Validator, value: unknown, path: string, host: Host, api: SimApi): ApiSupport {
  // hostApis(host) already limited `api` to the ones this host serves.
  const surface = HOST_SURFACE[host][api] ?? { routes: [], features: [] };
  const known = surface.routes;
  const s = v.object(value, path, known.length > 0 ? ['routes', 'features'] : ['features']);
  const routes =
    s.routes === undefined
      ? undefined
      : v.array(s.routes, `${path}.routes`).map((r, i) => {
          const route = v.string(r, `${path}.routes[${i}]`);
          if (!route.startsWith('/')) v.fail(`${path}.routes[${i}]`, 'route must start with "/"', route);
          if (!known.includes(route)) {
            v.fail(`${path}.routes[${i}]`, `${host} ${api} routes are ${known.join(', ')}`, route);
          }
          return route;
        });
  const features =
    s.features === undefined
      ? undefined
      : v.array(s.features, `${path}.features`).map((f, i) => {
          const feature = v.oneOf(f, `${path}.features[${i}]`, SIM_FEATURES);
          if (!surface.features.includes(feature)) {
            v.fail(
              `${path}.features[${i}]`,
              `${host} ${api} supports only ${surface.features.join(', ')}`,
              feature,
            );
          }
          return feature;
        });
  if (routes) v.unique(routes, `${path}.routes`, null);
  if (features) v.unique(features, `${path}.features`, null);
  return { ...(routes !== undefined && { routes }), ...(features !== undefined && { features }) };
}

/** Model keys and every per-host ID (profiles included) must name exactly one model. */
function checkModelIdentity(v: Validator, models: readonly ScenarioModel[]): void {
  const keys = new Map<string, number>();
  const ids: Record<Host, Map<string, number>> = { runtime: new Map(), mantle: new Map() };
  models.forEach((m, i) => {
    const seen = keys.get(m.key);
    if (seen !== undefined) v.fail(`models[${i}].key`, `duplicate model key (also models[${seen}])`, m.key);
    keys.set(m.key, i);
    for (const host of HOSTS) {
      const presence = m[host];
      if (!presence) continue;
      for (const id of [presence.id, ...(presence.profiles ?? [])]) {
        const other = ids[host].get(id);
        if (other !== undefined && other !== i) {
          v.fail(`models[${i}].${host}`, `duplicate ${host} ID (also models[${other}])`, id);
        }
        ids[host].set(id, i);
      }
    }
  });
}
