/** ApplyGuardrail: the guardrail alone, no model (the control that the probe guardrail works). */
import { type Exchange, sendJson } from '../exchange';
import { assessment, guardrailCoverage, guardrailUsage } from './guardrail';
import { fromSimError, parseBody, textOfBlocks, validation } from './wire';

export function applyGuardrail(x: Exchange, id: string, version: string): void {
  const body = parseBody(x.req.body);
  const source = body.source;
  if (source !== 'INPUT' && source !== 'OUTPUT') {
    throw validation(
      `Value '${String(source)}' at 'source' failed to satisfy constraint: Member must satisfy enum value set: [INPUT, OUTPUT]`,
    );
  }
  if (!Array.isArray(body.content) || body.content.length === 0) {
    throw validation(
      "Value '[]' at 'content' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  const text = textOfBlocks(body.content);
  const verdict = x.world.checkGuardrail(id, version, text, source);
  if (!verdict.found) throw fromSimError(verdict.error);
  sendJson(x, 200, {
    usage: guardrailUsage(text),
    action: verdict.blocked ? 'GUARDRAIL_INTERVENED' : 'NONE',
    actionReason: verdict.blocked ? 'Guardrail blocked.' : 'No action.',
    outputs: verdict.blocked ? [{ text: verdict.message }] : [],
    assessments: [assessment(verdict, text)],
    guardrailCoverage: guardrailCoverage(text),
  });
}
