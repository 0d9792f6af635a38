/**
 * The capability map (`--format capabilities`): a stable, versioned JSON document per region ->
 * model -> endpoint -> api, for gateways and routers that route from hand-edited maps today.
 * Its shape is published as a JSON Schema in `schema/capabilities-v1.json`; extend with optional
 * fields, never rename. Every api entry links back to its evidence (run id + cell id).
 */
import { publicBaseUrl } from './endpoints';
import {
  type Api,
  type CellResult,
  cellId,
  ENDPOINTS,
  type Endpoint,
  type FeatureVariant,
  type Report,
  type RunSource,
  type Status,
} from './model';
import { reportRegions } from './render/common';

const CAPABILITIES_KIND = 'bedrock-matrix/capabilities';
const CAPABILITIES_VERSION = 1;

export interface ApiCapability {
  /** The `basic` cell's status. */
  readonly status: Status;
  /** True only when the basic call was measured to work. */
  readonly supported: boolean;
  readonly baseUrl: string;
  /** The route prefix that decided (`/v1`, `/openai/v1`, ...); null for the runtime's native apis. */
  readonly route: string | null;
  /** The model ID the decisive call used. */
  readonly modelId: string | null;
  /** Status of each feature variant probed on this api. */
  readonly features: Partial<Record<FeatureVariant, Status>>;
  /** Guardrail cell status (`enforced`, `ignored`, or a transient status); null when not probed. */
  readonly guardrail: Status | null;
  /** When the cell entered its status (confirmed state); null for a report without history. */
  readonly since: string | null;
  readonly evidence: { readonly runId: string; readonly cellId: string };
}

export interface EndpointCapability {
  /** The model's ID on this endpoint per the catalogs; null when no catalog lists one. */
  readonly modelId: string | null;
  readonly apis: Partial<Record<Api, ApiCapability>>;
}

export interface ModelCapability {
  readonly provider: string;
  readonly endpoints: Partial<Record<Endpoint, EndpointCapability>>;
}

export interface CapabilityMap {
  readonly kind: typeof CAPABILITIES_KIND;
  readonly version: typeof CAPABILITIES_VERSION;
  readonly runId: string;
  readonly generatedAt: string;
  readonly source: RunSource | 'unknown';
  readonly partial: boolean;
  /** The bedrock-matrix that made the report, when the report says. */
  readonly toolVersion?: string;
  readonly regions: Record<string, { readonly models: Record<string, ModelCapability> }>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Builds the map from a report: only squares with a `basic` cell appear. */
export function capabilityMap(report: Report): CapabilityMap {
  const regions: CapabilityMap['regions'] = {};
  const models = new Map(report.models.map((m) => [m.key, m]));
  const byRegion = new Map<string, CellResult[]>();
  for (const c of report.cells) byRegion.set(c.region, [...(byRegion.get(c.region) ?? []), c]);
  for (const region of reportRegions(report)) {
    const cells = byRegion.get(region) ?? [];
    const square = (c: CellResult) => `${c.model}|${c.endpoint}|${c.api}`;
    const extras = new Map<string, CellResult[]>();
    for (const c of cells)
      if (c.variant !== 'basic') extras.set(square(c), [...(extras.get(square(c)) ?? []), c]);
    const out: Record<string, Mutable<ModelCapability>> = {};
    const basics = cells
      .filter((c) => c.variant === 'basic')
      .sort(
        (a, b) =>
          a.model.localeCompare(b.model) || ENDPOINTS.indexOf(a.endpoint) - ENDPOINTS.indexOf(b.endpoint),
      );
    for (const b of basics) {
      const model = models.get(b.model);
      const entry = out[b.model] ?? {
        provider: model?.provider ?? b.model.split('.')[0] ?? b.model,
        endpoints: {},
      };
      out[b.model] = entry;
      const endpoint = entry.endpoints[b.endpoint] ?? { modelId: model?.ids[b.endpoint] ?? null, apis: {} };
      entry.endpoints[b.endpoint] = endpoint;
      const features: Partial<Record<FeatureVariant, Status>> = {};
      let guardrail: Status | null = null;
      for (const x of extras.get(square(b)) ?? []) {
        if (x.variant === 'guardrail') guardrail = x.status;
        else if (x.variant !== 'basic') features[x.variant] = x.status;
      }
      (endpoint.apis as Partial<Record<Api, ApiCapability>>)[b.api] = {
        status: b.status,
        supported: b.status === 'supported',
        baseUrl: publicBaseUrl(b.endpoint, region),
        route: b.evidence.route,
        modelId: b.evidence.modelId ?? model?.ids[b.endpoint] ?? null,
        features,
        guardrail,
        since: b.since ?? null,
        evidence: { runId: b.runId ?? report.runId, cellId: cellId(b) },
      };
    }
    regions[region] = { models: out };
  }
  return {
    kind: CAPABILITIES_KIND,
    version: CAPABILITIES_VERSION,
    runId: report.runId,
    generatedAt: report.finishedAt,
    source: report.source ?? 'unknown',
    partial: report.partial,
    ...(report.toolVersion !== undefined ? { toolVersion: report.toolVersion } : {}),
    regions,
  };
}

export const renderCapabilities = (report: Report): string =>
  `${JSON.stringify(capabilityMap(report), null, 2)}\n`;
