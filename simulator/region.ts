/**
 * Which region a call is for, told from the request alone: the SDK clients reach every simulated
 * region through one override URL per host, so the host name cannot say it. What the wire
 * carries (docs/bedrock-wire.md "Regions on the wire"): a SigV4 `Authorization` header names the
 * region in its credential scope (`Credential=AKID/20260101/eu-west-1/bedrock/aws4_request`); a
 * short-term Bedrock API key (`bedrock-api-key-` + base64 of a presigned URL) names it in that
 * URL's `X-Amz-Credential`. A long-term key (`ABSK...`) names no region.
 */
import type { Host, Scenario, ScenarioModel, ScenarioRegion } from './types';

/** The region a scenario without `defaultRegion` answers as. */
export const DEFAULT_SIM_REGION = 'us-east-1';

const SCOPE = /Credential=([^/\s,]+)\/\d{8}\/([a-z0-9-]+)\//;
const BEARER_PREFIX = 'bedrock-api-key-';

/** Who signed a request and for which region: the SigV4 credential scope's first and third parts. */
export interface CredentialScope {
  readonly accessKeyId: string;
  readonly region: string;
}

/**
 * The credential scope a request carries: its SigV4 `Authorization` header's, or that of the
 * presigned URL a short-term API key encodes (as `Bearer` or `x-api-key`); null for a long-term
 * key or no credentials. The one decoder of both: the region and the account (account.ts) read it.
 */
export function requestScope(headers: Readonly<Record<string, string | undefined>>): CredentialScope | null {
  const authorization = headers.authorization?.trim() ?? '';
  if (authorization.startsWith('AWS4-HMAC-SHA256')) {
    const m = SCOPE.exec(authorization);
    return m?.[1] && m[2] ? { accessKeyId: m[1], region: m[2] } : null;
  }
  const bearer = authorization.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() ?? headers['x-api-key']?.trim();
  return bearer ? tokenScope(bearer) : null;
}

/** The credential scope of the presigned URL a short-term API key encodes. */
export function tokenScope(token: string): CredentialScope | null {
  if (!token.startsWith(BEARER_PREFIX)) return null;
  const url = Buffer.from(token.slice(BEARER_PREFIX.length), 'base64').toString('utf8');
  const query = url.slice(url.indexOf('?') + 1);
  const [accessKeyId, , region] = new URLSearchParams(query).get('X-Amz-Credential')?.split('/') ?? [];
  return accessKeyId && region ? { accessKeyId, region } : null;
}

/** The region named by a request's credentials, or null when they name none. Pure. */
export function requestRegion(headers: Readonly<Record<string, string | undefined>>): string | null {
  return requestScope(headers)?.region ?? null;
}

/**
 * The region a request is answered as. A request whose credentials name no region (a long-term
 * key, no credentials) is the scenario's default region: never a guess per model.
 */
export function answeredRegion(
  scenario: Scenario,
  headers: Readonly<Record<string, string | undefined>>,
): string {
  return requestRegion(headers) ?? scenario.defaultRegion ?? DEFAULT_SIM_REGION;
}

const regionOf = (scenario: Scenario, region: string): ScenarioRegion | undefined =>
  scenario.regions?.[region];

/** False when the scenario says the region has no such host (its name does not resolve there). */
export function hostInRegion(scenario: Scenario, region: string, host: Host): boolean {
  return !(regionOf(scenario, region)?.withoutHosts ?? []).includes(host);
}

const served = (scenario: Scenario, region: string, model: ScenarioModel): boolean =>
  !(regionOf(scenario, region)?.withoutModels ?? []).includes(model.key);

/**
 * The scenario as one region serves it: only the models served there, so its catalogs omit the
 * others and a call to one is answered as an unknown model. A region the scenario does not name
 * serves every model (the same object comes back).
 */
export function scenarioIn(scenario: Scenario, region: string): Scenario {
  if ((regionOf(scenario, region)?.withoutModels ?? []).length === 0) return scenario;
  return { ...scenario, models: scenario.models.filter((m) => served(scenario, region, m)) };
}
