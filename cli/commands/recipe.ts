/**
 * `bedrock-matrix recipe MODEL [--endpoint E --api A --region R] (--in FILE | --store dynamodb)`:
 * how to call a model where the matrix measured it to work, or why a cell does not work.
 */
import { APIS, type Api, ENDPOINTS, type Endpoint } from '../../lambda/core/model';
import { recipesFor, renderRecipe } from '../../lambda/core/recipes';
import { readStoredRegion, storedReport } from '../../lambda/core/stored-report';
import { emit, readReportFile } from '../files';
import type { Io } from '../io';
import { parseRegions, parseStore, UsageError } from '../options';
import type { StackFlag } from '../stack-outputs';
import { openStore } from '../store';
import { didYouMean } from '../suggest';
import { parseTable } from './report';

export interface RecipeFlags {
  readonly in?: string;
  readonly store?: string;
  readonly region?: string[];
  readonly table?: string;
  readonly stack?: StackFlag;
  readonly endpoint?: string;
  readonly api?: string;
  readonly format?: string;
  readonly out?: string;
}

const word = <T extends string>(
  flag: string,
  value: string | undefined,
  words: readonly T[],
): T | undefined => {
  if (value === undefined) return undefined;
  if (!(words as readonly string[]).includes(value))
    throw new UsageError(`${flag}: "${value}" is not one of ${words.join(', ')}`);
  return value as T;
};

export async function runRecipe(model: string, flags: RecipeFlags, io: Io): Promise<number> {
  const endpoint = word<Endpoint>('--endpoint', flags.endpoint, ENDPOINTS);
  const api = word<Api>('--api', flags.api, APIS);
  const format = word('--format', flags.format ?? 'text', ['text', 'json'] as const);
  const store = parseStore(flags.store);
  if (flags.in && store === 'dynamodb')
    throw new UsageError('give either --in FILE or --store dynamodb, not both');
  if (!flags.in && store !== 'dynamodb')
    throw new UsageError('recipe needs --in FILE (a saved report) or --store dynamodb --region R');
  const regions = flags.region && flags.region.length > 0 ? parseRegions(flags.region) : undefined;
  if (store === 'dynamodb' && !regions) throw new UsageError('--store dynamodb needs --region R');

  let report: Awaited<ReturnType<typeof readReportFile>>;
  if (flags.in) report = await readReportFile(flags.in);
  else {
    const table = parseTable(flags.table);
    const stored = [];
    for (const region of regions ?? []) {
      const s = await openStore(io.env, region, table, { create: false, stack: flags.stack });
      stored.push(await readStoredRegion(s, { account: await s.account(), region }));
    }
    report = storedReport(stored);
  }

  const known = new Set(report.cells.map((c) => c.model));
  if (!known.has(model)) {
    const close = didYouMean(model, known);
    throw new UsageError(
      `model "${model}" is not in the ${flags.in ? `report ${flags.in}` : 'store'}${close.length > 0 ? ` (did you mean ${close.join(', ')}?)` : ''}`,
    );
  }
  const recipes = (regions ?? [undefined]).flatMap((region) =>
    recipesFor(report, {
      model,
      ...(region ? { region } : {}),
      ...(endpoint ? { endpoint } : {}),
      ...(api ? { api } : {}),
    }),
  );
  if (recipes.length === 0)
    throw new UsageError(`no cell of "${model}" matches the --endpoint / --api / --region given`);
  const text =
    format === 'json' ? `${JSON.stringify(recipes, null, 2)}\n` : recipes.map(renderRecipe).join('\n');
  await emit(io, text, flags.out, 'recipes');
  return 0;
}
