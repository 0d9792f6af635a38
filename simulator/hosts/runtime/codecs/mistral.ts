/** InvokeModel bodies of Mistral: an `[INST]` `prompt`, `max_tokens`, answers under `outputs`. */
import { deltas } from '../../../brain';
import { optionalCount } from '../wire';
import { type FamilyCodec, jsonType, malformed, PROMPT_STOP, promptTurns } from './codec';

export const mistralCodec: FamilyCodec = {
  required: ['prompt'],
  allowed: ['prompt', 'max_tokens', 'temperature', 'top_p', 'top_k', 'stop'],
  idPrefix: 'msg_bdrk_',
  read(body) {
    if (typeof body.prompt !== 'string')
      throw malformed([`#/prompt: expected type: String, found: ${jsonType(body.prompt)}`]);
    return {
      turns: promptTurns(body.prompt),
      maxTokens: optionalCount(body.max_tokens, 'max_tokens'),
      tools: [],
    };
  },
  render(out) {
    return { outputs: [{ text: out.text, stop_reason: PROMPT_STOP[out.stopReason] }] };
  },
  chunks(out) {
    const pieces = deltas(out.text);
    return pieces.map((piece, i) => ({
      outputs: [{ text: piece, stop_reason: i === pieces.length - 1 ? PROMPT_STOP[out.stopReason] : null }],
    }));
  },
};
