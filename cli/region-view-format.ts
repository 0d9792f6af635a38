/** The regions view's `--format` check, shared by `report --view regions` and the multi-region demo. */
import { REGION_VIEW_FORMATS, type RegionViewFormat } from '../lambda/core/render/regions';
import { UsageError } from './options';

/**
 * The `--format` of the regions view, checked: the view has no capability-map or LiteLLM form.
 * The one-line error says how the view was chosen (`how`) and what else to ask for (`instead`).
 */
export function regionViewFormat(format: string, how: string, instead?: string): RegionViewFormat {
  if (!(REGION_VIEW_FORMATS as readonly string[]).includes(format))
    throw new UsageError(
      `--format: "${format}" is not available with ${how} (use ${[...REGION_VIEW_FORMATS, ...(instead ? [instead] : [])].join(', ')})`,
    );
  return format as RegionViewFormat;
}
