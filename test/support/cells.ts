/** Find one cell of a run by its coordinates; a missing cell fails the test with its name. */
import type { Api, CellResult, Endpoint, Variant } from '../../lambda/core/model';

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
