import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderJson } from '../../lambda/core/render/json';
import { buildSampleReport } from '../support/sample-report';
import { argv, runCli } from './support';

// `bedrock-matrix recipe MODEL --in FILE`: a snippet for a supported cell, the reason for an
// unsupported one, and one clear line for a model the report does not have.

let file: string;
beforeAll(async () => {
  file = join(await mkdtemp(join(tmpdir(), 'bedrock-matrix-recipe-')), 'run.json');
  await writeFile(file, renderJson(buildSampleReport()));
});

describe('recipe', () => {
  it('prints base URL, model ID, guardrail verdict and snippets for a supported cell', async () => {
    // Act
    const { code, stdout } = await runCli(
      argv`recipe openai.gpt-oss-120b --in ${file} --region us-east-1 --endpoint runtime --api converse`,
    );

    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain('## openai.gpt-oss-120b · runtime/converse · us-east-1: supported');
    expect(stdout).toContain('base URL: `https://bedrock-runtime.us-east-1.amazonaws.com`');
    expect(stdout).toContain('model ID: `openai.gpt-oss-120b-1:0`');
    expect(stdout).toContain('measured ENFORCED');
    expect(stdout).toContain('new ConverseCommand(');
    expect(stdout).toContain('client.converse(');
    expect(stdout).toContain('curl -sS');
  });

  it('says the guardrail is ignored where it was measured ignored', async () => {
    // Act
    const { code, stdout } = await runCli(
      argv`recipe openai.gpt-oss-120b --in ${file} --region us-east-1 --endpoint mantle --api chat`,
    );

    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain('guardrail: IGNORED here');
    expect(stdout).toContain('client.chat.completions.create(');
  });

  it('says why for an unsupported cell and what works instead', async () => {
    // Act
    const { code, stdout } = await runCli(
      argv`recipe mistral.voxtral-mini-3b --in ${file} --region us-east-1 --endpoint mantle --api chat --format json`,
    );

    // Assess
    expect(code).toBe(0);
    const [r] = JSON.parse(stdout);
    expect(r).toMatchObject({ supported: false, status: 'unsupported', snippets: [] });
    expect(r.why).toMatch(/^unsupported: the model exists on this endpoint but rejects this api/);
  });

  it.each([
    [argv`recipe no.such-model --in FILE`, 'model "no.such-model" is not in the report'],
    [argv`recipe openai.gpt-oss-12b --in FILE`, '(did you mean openai.gpt-oss-120b'],
    [argv`recipe openai.gpt-oss-120b --in FILE --api chatty`, '--api: "chatty" is not one of'],
    [argv`recipe openai.gpt-oss-120b --store dynamodb`, '--store dynamodb needs --region R'],
    [argv`recipe openai.gpt-oss-120b`, 'recipe needs --in FILE'],
  ])('%j exits 2 with one line naming the bad value', async (args, expected) => {
    // Act
    const { code, stdout, stderr } = await runCli(args.map((a) => (a === 'FILE' ? file : a)));

    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(expected);
  });
});
