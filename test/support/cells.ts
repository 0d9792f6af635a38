/** Cells for tests: find one in a run, or make one. */
import {
  type Api,
  type CellResult,
  type Endpoint,
  emptyEvidence,
  type Variant,
} from '../../lambda/core/model';

/** A us-east-1 mantle/chat `basic` cell, `supported`, with empty evidence, changed by `over`. */
export const mantleChatCell = (over: Partial<CellResult> = {}): CellResult => ({
  region: 'us-east-1',
  model: 'openai.a',
  endpoint: 'mantle',
  api: 'chat',
  variant: 'basic',
  status: 'supported',
  evidence: emptyEvidence(),
  ...over,
});

/** Find one cell of a run by its coordinates; a missing cell fails the test with its name. */
export function findCell(
  cells: readonly CellResult[],
  model: string,
  endpoint: Endpoint,
  api: Api,
  variant: Variant = 'basic',
): CellResult {
  const found = cells.find(
    (c) => c.model === model && c.endpoint === endpoint && c.api === api && c.variant === variant,
  );
  if (!found) throw new Error(`no cell ${model} ${endpoint}/${api} ${variant}`);
  return found;
}
