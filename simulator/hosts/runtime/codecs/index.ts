/** The InvokeModel body codec for a model family. */
import type { ModelFamily } from '../../../types';
import { isObject, type Json } from '../../json';
import { anthropicCodec } from './anthropic';
import type { FamilyCodec } from './codec';
import { gptOssCodec } from './gpt-oss';
import { metaCodec } from './meta';
import { mistralCodec } from './mistral';
import { novaCodec } from './nova';

const CODECS: Readonly<Record<Exclude<ModelFamily, 'other'>, FamilyCodec>> = {
  anthropic: anthropicCodec,
  'gpt-oss': gptOssCodec,
  nova: novaCodec,
  meta: metaCodec,
  mistral: mistralCodec,
};

/** `other` models have no documented body; take whichever known shape the body has. */
export function codecFor(family: ModelFamily, body: Json): FamilyCodec {
  if (family !== 'other') return CODECS[family];
  if ('anthropic_version' in body) return anthropicCodec;
  if ('prompt' in body) return 'max_gen_len' in body ? metaCodec : mistralCodec;
  if (Array.isArray(body.messages) && body.messages.some((m) => isObject(m) && Array.isArray(m.content))) {
    return novaCodec;
  }
  return gptOssCodec;
}
