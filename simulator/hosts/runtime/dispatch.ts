/**
 * The bedrock-runtime host's native operations as `@aws-sdk/client-bedrock-runtime` speaks them
 * (restJson1): Converse, ConverseStream, InvokeModel, InvokeModelWithResponseStream and
 * ApplyGuardrail, found by path and handed to their module. All behaviour (which model answers,
 * faults, guardrail enforcement) comes from the World.
 */
import { authError } from '../../auth';
import type { HostHandler, World } from '../../types';
import { openExchange, sendJson } from '../exchange';
import { applyGuardrail } from './apply-guardrail';
import { converse } from './converse';
import { invoke } from './invoke';
import { RuntimeFault, sendError, validation } from './wire';

const MODEL_PATH = /^\/model\/([^/]+)\/(converse|converse-stream|invoke|invoke-with-response-stream)$/;
const APPLY_PATH = /^\/guardrail\/([^/]+)\/version\/([^/]+)\/apply$/;

export const handleRuntimeNative: HostHandler = async (world, req, res) => {
  if (req.host === 'control' || req.method !== 'POST') return false;
  const modelMatch = MODEL_PATH.exec(req.path);
  const applyMatch = modelMatch || req.host !== 'runtime' ? null : APPLY_PATH.exec(req.path);
  if (!modelMatch && !applyMatch) return false;
  // Mantle has no native operations; they appear only when a scenario makes that surface drift.
  if (req.host === 'mantle' && !mantleServesNative(world)) return false;

  const operation = modelMatch?.[2] as Operation | undefined;
  const x = openExchange(
    world,
    req,
    res,
    operation ? (operation.startsWith('converse') ? 'converse' : 'invoke') : null,
  );
  // Path params first so even a refused call is recorded against what it asked for.
  const rawId = modelMatch?.[1] ?? applyMatch?.[1] ?? '';
  if (modelMatch) x.modelId = tryDecode(rawId) ?? rawId;
  else x.guardrailId = tryDecode(rawId) ?? rawId;
  try {
    const denied = authError(req);
    if (denied) {
      // The call's own request id wins over the one the front door made up.
      sendJson(x, denied.status, denied.body, { ...denied.headers, ...x.idHeaders });
      return true;
    }
    // Guessed: a path the service cannot decode reads as a bad identifier.
    if (tryDecode(rawId) === null) throw validation('The provided model identifier is invalid.');
    if (x.modelId !== null) {
      if (x.api === 'converse') await converse(x, x.modelId, operation === 'converse-stream');
      else await invoke(x, x.modelId, operation === 'invoke-with-response-stream');
    } else if (applyMatch && x.guardrailId !== null) {
      const version = applyMatch[2] ?? '';
      applyGuardrail(x, x.guardrailId, tryDecode(version) ?? version);
    }
  } catch (err) {
    if (!(err instanceof RuntimeFault)) throw err;
    sendError(x, err);
  }
  return true;
};

type Operation = 'converse' | 'converse-stream' | 'invoke' | 'invoke-with-response-stream';

function tryDecode(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

function mantleServesNative(world: World): boolean {
  return world.scenario.models.some((m) => m.mantle?.apis.converse || m.mantle?.apis.invoke);
}
