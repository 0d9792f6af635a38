import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROBER_CALLS, UNCALLED_GRANTS } from '../../lib/prober-calls';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const sourcesUnder = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourcesUnder(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });

/**
 * The calls one source text makes: AWS SDK commands (`new XCommand(`, `paginateX(`), methods of
 * the openai / Anthropic clients (`.responses.retrieve(`, across line breaks), and the bearer
 * token generator.
 */
const callsIn = (text: string, sdkMethods: boolean): string[] => {
  const found = [
    ...[...text.matchAll(/new\s+([A-Z]\w*Command)\s*\(/g)].map((m) => m[1] ?? ''),
    ...[...text.matchAll(/\bpaginate([A-Z]\w*)\s*\(/g)].map((m) => `${m[1]}Command`),
  ];
  if (sdkMethods) {
    const chain =
      /\.(chat\.completions|responses|messages|models)\s*\.(create|retrieve|list|stream|del|delete|cancel)\s*\(/g;
    found.push(...[...text.matchAll(chain)].map((m) => `${m[1]}.${m[2]}`));
    // Raw requests through an SDK client: `client.get('/models', ...)`.
    found.push(...[...text.matchAll(/\.get\(\s*'(\/[\w/{}.-]+)'/g)].map((m) => `GET ${m[1]}`));
  }
  if (/from '@aws\/bedrock-token-generator'/.test(text) && /\bgetToken\b/.test(text)) found.push('getToken');
  return found;
};

/** Every call found under lambda/, with the files it is in. */
const scan = (): Map<string, string[]> => {
  const calls = new Map<string, string[]>();
  for (const file of sourcesUnder('lambda')) {
    const rel = relative(ROOT, join(ROOT, file));
    const httpAdapter = rel.startsWith('lambda/adapters/probes/') || rel === 'lambda/adapters/catalog.ts';
    for (const call of callsIn(readFileSync(join(ROOT, file), 'utf8'), httpAdapter)) {
      calls.set(call, [...(calls.get(call) ?? []), rel]);
    }
  }
  return calls;
};

/**
 * Granted ahead of a call of its own: the managed AmazonBedrockMantleInferenceAccess policy pairs
 * GetModel with ListModels, and a model lookup by ID is the next catalog call to come.
 */
const FUTURE_CALLS = ['models.retrieve'];

describe('the prober calls map (lib/prober-calls.ts)', () => {
  const found = scan();
  const listed = new Map(PROBER_CALLS.map((c) => [c.call, c]));

  it('finds the calls of the source, so the checks below read real code', () => {
    // Act
    const names = [...found.keys()];

    // Assess
    expect(names).toEqual(
      expect.arrayContaining([
        'ConverseCommand',
        'ListInferenceProfilesCommand',
        'responses.retrieve',
        'GET /models',
        'getToken',
        'PutCommand',
      ]),
    );
    expect(
      callsIn("await client.send(new FrobnicateCommand({}));\nx.responses\n  .cancel('id')", true),
    ).toEqual(['FrobnicateCommand', 'responses.cancel']);
  });

  it('has an entry for every call the Lambda code makes', () => {
    // Act
    const missing = [...found]
      .filter(([call]) => !listed.has(call))
      .map(([call, files]) => `${call} (${files.join(', ')})`);

    // Assess
    expect(missing).toEqual([]);
  });

  it('has a call in the code for every entry, but for the named future calls', () => {
    // Act
    const uncalled = PROBER_CALLS.filter((c) => !found.has(c.call)).map((c) => c.call);

    // Assess
    for (const call of uncalled) expect(FUTURE_CALLS, `${call} is listed but never called`).toContain(call);
    expect(
      PROBER_CALLS.filter((c) => c.future)
        .map((c) => c.call)
        .sort(),
    ).toEqual([...FUTURE_CALLS].sort());
  });

  it('authorises every call with an action, except the table set-up only the CLI does', () => {
    // Act
    const without = PROBER_CALLS.filter((c) => c.actions.length === 0).map((c) => c.call);
    const cliOnly = PROBER_CALLS.filter((c) => c.cliOnly).map((c) => c.call);

    // Assess
    expect(without.sort()).toEqual(cliOnly.sort());
    expect(cliOnly.sort()).toEqual(['CreateTableCommand', 'DescribeTableCommand', 'UpdateTimeToLiveCommand']);
    for (const call of PROBER_CALLS) {
      if (call.actions.some((a) => a !== 'sns:Publish'))
        expect(call.resources.length, call.call).toBeGreaterThan(0);
    }
  });

  it('grants actions without a call only for the reasons it names', () => {
    // Act
    const extras = Object.entries(UNCALLED_GRANTS);

    // Assess
    expect(extras.map(([action]) => action)).toEqual([
      'bedrock-mantle:GetProject',
      'bedrock-mantle:ListProjects',
    ]);
    for (const [, reason] of extras) expect(reason).toContain('AmazonBedrockMantleInferenceAccess');
  });

  it('maps the mantle and runtime routes to the actions the facts name', () => {
    // Act
    const actions = (call: string) => listed.get(call)?.actions;

    // Assess
    expect(actions('GET /models')).toEqual(['bedrock-mantle:ListModels']);
    expect(actions('models.retrieve')).toEqual(['bedrock-mantle:GetModel']);
    expect(actions('responses.retrieve')).toEqual(['bedrock:GetInvoke', 'bedrock-mantle:GetInference']);
    expect(actions('GetGuardrailCommand')).toEqual(['bedrock:GetGuardrail']);
    expect(listed.get('GetGuardrailCommand')?.resources).toEqual(['guardrail']);
    expect(actions('ListEnforcedGuardrailsConfigurationCommand')).toEqual([
      'bedrock:ListEnforcedGuardrailsConfiguration',
    ]);
    expect(actions('ConverseCommand')).toEqual(['bedrock:InvokeModel']);
  });
});
