/** InvokeModel bodies of Meta Llama: a chat-template `prompt`, `max_gen_len`. */
import { deltas } from '../../../brain';
import { type FamilyCodec, PROMPT_STOP, readPrompt } from './codec';

export const metaCodec: FamilyCodec = {
  required: ['prompt'],
  allowed: ['prompt', 'max_gen_len', 'temperature', 'top_p', 'images'],
  idPrefix: 'msg_bdrk_',
  read: (body) => readPrompt(body, 'max_gen_len'),
  render(out) {
    return {
      generation: out.text,
      prompt_token_count: out.inputTokens,
      generation_token_count: out.outputTokens,
      stop_reason: PROMPT_STOP[out.stopReason],
    };
  },
  chunks(out) {
    const pieces = deltas(out.text);
    return pieces.map((piece, i) => {
      const last = i === pieces.length - 1;
      return {
        generation: piece,
        prompt_token_count: i === 0 ? out.inputTokens : null,
        generation_token_count: last ? out.outputTokens : Math.min(i + 1, out.outputTokens),
        stop_reason: last ? PROMPT_STOP[out.stopReason] : null,
      };
    });
  },
};
