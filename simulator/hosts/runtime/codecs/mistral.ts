/** InvokeModel bodies of Mistral: an `[INST]` `prompt`, `max_tokens`, answers under `outputs`. */
import { deltas } from '../../../brain';
import { type FamilyCodec, PROMPT_STOP, readPrompt } from './codec';

export const mistralCodec: FamilyCodec = {
  required: ['prompt'],
  allowed: ['prompt', 'max_tokens', 'temperature', 'top_p', 'top_k', 'stop'],
  idPrefix: 'msg_bdrk_',
  read: (body) => readPrompt(body, 'max_tokens'),
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
