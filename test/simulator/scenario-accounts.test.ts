import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError, scenariosDir } from '../../simulator/scenario';

// biome-ignore lint/suspicious/noExplicitAny: a scenario edited as raw JSON, as a user would
type RawJson = any;

let org: RawJson;
beforeAll(async () => {
  org = JSON.parse(await readFile(`${scenariosDir()}org.json`, 'utf8'));
});

function errorFor(edit: (s: RawJson) => void): string {
  const copy = JSON.parse(JSON.stringify(org)) as RawJson;
  edit(copy);
  try {
    parseScenario(copy, 'bad.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return (err as Error).message;
  }
  throw new Error('expected parseScenario to throw');
}

describe('the org scenario', () => {
  it('parses into three accounts over the default one', () => {
    // Act
    const scenario = parseScenario(org, 'org.json');

    // Assess
    expect(scenario.defaultAccount).toBe('111111111111');
    expect(Object.keys(scenario.accounts ?? {})).toEqual(['111111111111', '222222222222', '333333333333']);
    expect(scenario.accounts?.['333333333333']).toEqual({
      name: 'Regulated',
      ou: 'Workloads',
      accessKeyIds: ['AKIDORGGOVERNED'],
      denied: ['openai.gpt-oss-20b'],
      enforcedGuardrails: [{ guardrailId: 'gr-user', guardrailVersion: '1' }],
    });
  });
});

describe('parseScenario rejects a bad account with one line naming field and value', () => {
  it.each<[string, (s: RawJson) => void, string]>([
    [
      'an account id that is not 12 digits',
      (s) => {
        s.accounts['12345'] = { accessKeyIds: ['AKIDSHORT'] };
      },
      'bad.json: accounts.12345: must be a 12-digit AWS account id, got "12345"',
    ],
    [
      'a default account that is not 12 digits',
      (s) => {
        s.defaultAccount = 'platform';
      },
      'bad.json: defaultAccount: must be a 12-digit AWS account id, got "platform"',
    ],
    [
      'an unknown model key',
      (s) => {
        s.accounts['222222222222'].withoutAccess = ['anthropic.claude-sonnet-4-7'];
      },
      'bad.json: accounts.222222222222.withoutAccess[0]: not a model key of this scenario, got "anthropic.claude-sonnet-4-7"',
    ],
    [
      'an unknown field',
      (s) => {
        s.accounts['333333333333'].deny = ['openai.gpt-oss-20b'];
      },
      'bad.json: accounts.333333333333.deny: unknown key (allowed: accessKeyIds, withoutAccess, denied, enforcedGuardrails, name, ou), got "deny"',
    ],
    [
      'one access key in two accounts',
      (s) => {
        s.accounts['222222222222'].accessKeyIds = ['AKIDORGPLATFORM'];
      },
      'bad.json: accounts.222222222222.accessKeyIds[0]: already an access key of account 111111111111, got "AKIDORGPLATFORM"',
    ],
    [
      "an account's enforced guardrail without a version",
      (s) => {
        s.accounts['333333333333'].enforcedGuardrails = [{ guardrailId: 'gr-user' }];
      },
      'bad.json: accounts.333333333333.enforcedGuardrails[0].guardrailVersion: must be a non-empty string, got nothing',
    ],
  ])('%s', (_label, edit, message) => {
    // Act
    const error = errorFor(edit);

    // Assess
    expect(error).toBe(message);
    expect(error).not.toContain('\n');
  });
});
