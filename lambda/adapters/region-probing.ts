/**
 * The I/O one region run needs (its catalogs, the prober, the ApplyGuardrail control), wired from
 * one set of probe clients and the control-plane client. The Lambda, the CLI, the benchmark and
 * the tests all run a region through this one function, so they probe the same way.
 */
import type { BedrockClient } from '@aws-sdk/client-bedrock';
import type { RegionRunDeps } from '../engine/run-region';
import { loadCatalogs } from './catalog';
import { applyGuardrail, createProber, type ProbeClients, type ProberOptions } from './probes';

export type RegionProbing = Required<Pick<RegionRunDeps, 'loadCatalogs' | 'prober' | 'applyGuardrail'>>;

export interface RegionProbingOptions {
  /** One catalog call (each page). @default DEFAULTS.dependencyTimeoutMs */
  readonly dependencyTimeoutMs?: number;
}

export function regionProbing(
  clients: ProbeClients,
  bedrock: BedrockClient,
  options: ProberOptions = {},
  more: RegionProbingOptions = {},
): RegionProbing {
  const timeoutMs = more.dependencyTimeoutMs;
  return {
    loadCatalogs: () =>
      loadCatalogs({ bedrock, mantle: clients.openai('mantle', '/v1'), ...(timeoutMs ? { timeoutMs } : {}) }),
    prober: createProber(clients, options),
    applyGuardrail: (guardrail, canary) => applyGuardrail(clients, { ...guardrail, canary }),
  };
}
