/**
 * The error `type` word of an OpenAI- or Anthropic-shaped error body, by HTTP status. The two
 * share the words; only Anthropic names a 404 `not_found_error` (OpenAI files it as an invalid
 * request).
 */
export function errorTypeOf(status: number, dialect: 'openai' | 'anthropic'): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404 && dialect === 'anthropic') return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 503 || status === 529) return 'overloaded_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}
