/**
 * Account- and organization-level guardrails apply to every call and union with the one a probe
 * attaches (docs/bedrock-wire.md): a guardrail cell's verdict may then be theirs, not the probe
 * guardrail's. This pure step says so on the cells they cover.
 */
import type { CellResult, EnforcedGuardrail, ModelEntry } from './model';

/** Does the enforced guardrail cover this model? Lists name model IDs or ARNs; empty = every model. */
export function appliesTo(g: EnforcedGuardrail, model: ModelEntry): boolean {
  const names = new Set([model.key, model.ids.runtime, model.ids.mantle].filter((n): n is string => !!n));
  const matches = (entry: string): boolean => {
    const tail = entry.slice(entry.lastIndexOf('/') + 1);
    return names.has(entry) || names.has(tail) || entry === '*';
  };
  if (g.excludedModels.some(matches)) return false;
  return g.includedModels.length === 0 || g.includedModels.some(matches);
}

const label = (g: EnforcedGuardrail): string =>
  `${g.guardrailId}${g.guardrailVersion ? `:${g.guardrailVersion}` : ''}${g.owner ? ` (${g.owner.toLowerCase()})` : ''}`;

/** One line for the report and the alert, or null when none applies. */
export function enforcedLine(enforced: readonly EnforcedGuardrail[]): string | null {
  if (enforced.length === 0) return null;
  const byRegion = new Map<string, string[]>();
  for (const g of enforced) byRegion.set(g.region, [...(byRegion.get(g.region) ?? []), label(g)]);
  const parts = [...byRegion].map(([region, labels]) => `${region}: ${labels.join(', ')}`);
  return `Enforced guardrails apply to every call, so guardrail cells may show their verdict: ${parts.join('; ')}`;
}

/** Guardrail cells of covered models carry the enforced guardrails in evidence and reason. */
export function markEnforced(
  cells: readonly CellResult[],
  models: readonly ModelEntry[],
  enforced: readonly EnforcedGuardrail[],
): CellResult[] {
  if (enforced.length === 0) return [...cells];
  const byKey = new Map(models.map((m) => [m.key, m]));
  return cells.map((cell) => {
    const model = byKey.get(cell.model);
    if (cell.variant !== 'guardrail' || !model) return cell;
    const covering = enforced.filter((g) => g.region === cell.region && appliesTo(g, model)).map(label);
    if (covering.length === 0) return cell;
    const note = `enforced guardrail ${covering.join(', ')} also applies`;
    return {
      ...cell,
      evidence: {
        ...cell.evidence,
        enforcedGuardrails: covering,
        reason: cell.evidence.reason ? `${cell.evidence.reason} (${note})` : note,
      },
    };
  });
}
