/**
 * The OpenAI error shape both OpenAI-compatible apis answer with, and how a simulated refusal
 * maps onto it per host (docs/bedrock-wire.md).
 */
import type { SimError } from '../../types';
import { errorTypeOf } from '../error-types';
import { type Exchange, sendJson } from '../exchange';

export function sendOpenAiError(
  x: Exchange,
  status: number,
  message: string,
  code: string | null = null,
  param: string | null = null,
): void {
  sendJson(x, status, { error: { message, type: errorTypeOf(status, 'openai'), code, param } });
}

/**
 * Codes only where the wire is known to carry one; the rest stay null rather than invented.
 * docs/bedrock-wire.md: runtime `/openai/v1` 404 is `model_not_found`/`not_found_error`; mantle swaps them
 * (`not_found_error`/`invalid_request_error`); mantle's api refusal carries `validation_error`.
 */
export function sendSimError(x: Exchange, error: SimError): void {
  if (error.kind === 'iam-denied') {
    // IAM answers at the front door, in the AWS shape, before any OpenAI layer.
    sendJson(x, 403, { Message: error.message }, { 'x-amzn-errortype': 'AccessDeniedException' });
    return;
  }
  const runtime = x.host === 'runtime';
  if (error.kind === 'not-found') {
    const [code, type] = runtime
      ? ['model_not_found', 'not_found_error']
      : ['not_found_error', 'invalid_request_error'];
    sendJson(x, error.status, { error: { code, type, message: error.message, param: null } });
    return;
  }
  const code =
    error.kind === 'throttled'
      ? 'rate_limit_exceeded'
      : error.kind === 'wrong-route' && error.status === 401
        ? 'invalid_api_key'
        : error.kind === 'unsupported-api' && !runtime
          ? 'validation_error'
          : null;
  const param = ['invalid-id', 'needs-profile', 'wrong-route', 'unsupported-api'].includes(error.kind)
    ? 'model'
    : null;
  sendOpenAiError(x, error.status, error.message, code, param);
}
