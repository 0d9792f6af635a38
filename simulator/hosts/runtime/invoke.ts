/**
 * InvokeModel and InvokeModelWithResponseStream: the body is the model family's own (see
 * codecs/), the guardrail rides in headers and the body's `amazon-bedrock-guardrailConfig`, the
 * stream is base64 `chunk` frames.
 */
import { randomBytes } from 'node:crypto';
import { type Turn, think, turnsText } from '../../brain';
import type { SimFeature, SimRequest } from '../../types';
import { type Exchange, sendJson } from '../exchange';
import { GUARDRAIL_HEADER } from '../guardrail-headers';
import { isObject, type Json } from '../json';
import { codecFor } from './codecs';
import { type FamilyCodec, type InvokeInput, type InvokeOutcome, malformed } from './codecs/codec';
import { assessment, checkInput, checkOutput, type GuardrailOutcome, type GuardrailRef } from './guardrail';
import { eventFrame, fromSimError, JSON_TYPE, parseBody, sendEventStream, validation } from './wire';

function readInvoke(codec: FamilyCodec, body: Json): InvokeInput {
  const problems: string[] = [];
  for (const key of codec.required) if (!(key in body)) problems.push(`#: required key [${key}] not found`);
  if (codec.allowed) {
    for (const key of Object.keys(body)) {
      if (!codec.allowed.includes(key)) problems.push(`#: extraneous key [${key}] is not permitted`);
    }
  }
  if (problems.length > 0) throw malformed(problems);
  return codec.read(body);
}

function readInvokeGuardrail(req: SimRequest): GuardrailRef | null {
  const id = req.headers[GUARDRAIL_HEADER.id];
  const version = req.headers[GUARDRAIL_HEADER.version];
  if (!id && !version) return null;
  // Guessed wording: the real service refuses a half-specified guardrail before calling the model.
  if (!id) throw validation('Guardrail identifier is required when a guardrail version is specified.');
  if (!version) throw validation('Guardrail version is required when a guardrail identifier is specified.');
  const trace = (req.headers[GUARDRAIL_HEADER.trace] ?? '').toUpperCase();
  return { id, version, trace: trace === 'ENABLED' || trace === 'ENABLED_FULL' };
}

/** Text the guardrail evaluates: tagged guard content when `tagSuffix` is set and tags are present. */
function invokeGuardText(rawBody: string, tagSuffix: string | null, turns: readonly Turn[]): string {
  if (tagSuffix) {
    const open = `<amazon-bedrock-guardrails-guardContent_${tagSuffix}>`;
    const close = `</amazon-bedrock-guardrails-guardContent_${tagSuffix}>`;
    const tagged: string[] = [];
    let from = rawBody.indexOf(open);
    while (from >= 0) {
      const end = rawBody.indexOf(close, from + open.length);
      if (end < 0) break;
      tagged.push(rawBody.slice(from + open.length, end));
      from = rawBody.indexOf(open, end + close.length);
    }
    if (tagged.length > 0) return tagged.join('\n');
  }
  return turnsText(turns);
}

function checkAccept(value: string | undefined): void {
  if (!value) return;
  const ok = value.split(',').some((v) => {
    const type = v.trim().split(';')[0]?.trim().toLowerCase();
    return type === JSON_TYPE || type === '*/*' || type === 'application/*';
  });
  // Guessed wording: the service only produces JSON bodies for text models.
  if (!ok)
    throw validation(`The provided Accept Type '${value}' is invalid or not supported for this model.`);
}

export async function invoke(x: Exchange, modelId: string, stream: boolean): Promise<void> {
  checkAccept(stream ? x.req.headers['x-amzn-bedrock-accept'] : x.req.headers.accept);
  const guardrail = readInvokeGuardrail(x.req);
  x.guardrailId = guardrail?.id ?? null;
  const rawBody = x.req.body.toString('utf8');
  const body = parseBody(x.req.body);
  // The guardrail config rides in the body but belongs to Bedrock, not to the model's schema.
  const guardConfig = body['amazon-bedrock-guardrailConfig'];
  delete body['amazon-bedrock-guardrailConfig'];
  const tagSuffix =
    isObject(guardConfig) && typeof guardConfig.tagSuffix === 'string' ? guardConfig.tagSuffix : null;

  // The family is only known once the model resolves; decide with the features the body implies.
  const toolsInBody =
    (Array.isArray(body.tools) && body.tools.length > 0) ||
    (isObject(body.toolConfig) && Array.isArray(body.toolConfig.tools) && body.toolConfig.tools.length > 0);
  const features: SimFeature[] = [];
  if (stream) features.push('stream');
  if (toolsInBody) features.push('tools');
  const decision = await x.world.decide({
    region: x.req.region,
    account: x.req.account,
    host: x.host,
    api: 'invoke',
    route: null,
    modelId,
    features,
    path: x.req.path,
  });
  if (!decision.ok) throw fromSimError(decision.error);

  const codec = codecFor(decision.model.family, body);
  const input = readInvoke(codec, body);
  const guard = checkInput(
    x.world,
    guardrail,
    decision.guardrail,
    invokeGuardText(rawBody, tagSuffix, input.turns),
  );
  const out = invokeOutcome(x, modelId, invokeId(codec), input, guard);
  const marker: Json = guard
    ? {
        'amazon-bedrock-guardrailAction':
          guard.input.blocked || guard.output?.blocked ? 'INTERVENED' : 'NONE',
        ...(guard.ref.trace ? { 'amazon-bedrock-trace': invokeTrace(guard, input.turns, out.text) } : {}),
      }
    : {};

  if (!stream) {
    // InvokeModel reports billing in headers too, for clients that never parse the body.
    sendJson(
      x,
      200,
      { ...codec.render(out), ...marker },
      {
        'x-amzn-bedrock-input-token-count': String(out.inputTokens),
        'x-amzn-bedrock-output-token-count': String(out.outputTokens),
        'x-amzn-bedrock-invocation-latency': String(Date.now() - x.started),
      },
    );
    return;
  }
  const chunks = codec.chunks(out);
  const frames = chunks.map((chunk, i) => {
    const payload = i === chunks.length - 1 ? { ...chunk, ...marker, ...invocationMetrics(out) } : chunk;
    return eventFrame('chunk', { bytes: Buffer.from(JSON.stringify(payload)).toString('base64') });
  });
  await sendEventStream(x, frames, { 'x-amzn-bedrock-content-type': JSON_TYPE });
}

function invokeOutcome(
  x: Exchange,
  modelId: string,
  id: string,
  input: InvokeInput,
  guard: GuardrailOutcome | null,
): InvokeOutcome {
  if (guard?.input.blocked) {
    return {
      id,
      modelId,
      text: guard.input.message,
      toolCall: null,
      stopReason: 'guardrail',
      inputTokens: 0,
      outputTokens: 0,
    };
  }
  const reply = think(input.turns, {
    maxTokens: input.maxTokens,
    ...(input.tools.length > 0 ? { tools: input.tools } : {}),
  });
  checkOutput(x.world, guard, reply.text);
  const blockedOutput = guard?.output?.blocked ? guard.output.message : null;
  return {
    id,
    modelId,
    text: blockedOutput ?? reply.text,
    toolCall: blockedOutput ? null : reply.toolCall,
    stopReason: blockedOutput ? 'guardrail' : reply.stopReason,
    inputTokens: reply.inputTokens,
    outputTokens: reply.outputTokens,
  };
}

function invokeId(codec: FamilyCodec): string {
  const suffix = randomBytes(12).toString('hex');
  return `${codec.idPrefix}${suffix}`;
}

function invokeTrace(guard: GuardrailOutcome, turns: readonly Turn[], outputText: string): Json {
  return {
    guardrail: {
      input: { [guard.ref.id]: assessment(guard.input, turnsText(turns)) },
      ...(guard.output ? { outputs: [{ [guard.ref.id]: assessment(guard.output, outputText) }] } : {}),
    },
  };
}

function invocationMetrics(out: InvokeOutcome) {
  return {
    'amazon-bedrock-invocationMetrics': {
      inputTokenCount: out.inputTokens,
      outputTokenCount: out.outputTokens,
      invocationLatency: 1,
      firstByteLatency: 1,
    },
  };
}
