/** Runs the CLI in-process or as a child process, as a user would from a shell, capturing what it prints. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { main } from '../../cli/main';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    env: { PATH: process.env.PATH, ...env },
  });
  return { code, stdout, stderr };
}

/**
 * `bin/bedrock-matrix.mjs` in a process of its own with `env` (and PATH) as its whole environment:
 * for what only a real process shows (credentials from the environment, signals, exit codes).
 */
export async function runCliProcess(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['bin/bedrock-matrix.mjs', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

/**
 * Arguments written as the shell line a user types: argv`probe --region us-east-1 --out ${file}`.
 * Words split on white space; each `${value}` is one argument whole (a path with spaces stays one),
 * joined to the word it touches (`--out=${file}`).
 */
export function argv(strings: TemplateStringsArray, ...values: readonly unknown[]): string[] {
  const words: string[] = [];
  let glued = false; // whether the next piece continues the last word
  strings.forEach((literal, i) => {
    const parts = literal.split(/\s+/);
    parts.forEach((part, j) => {
      if (j === 0 && glued && words.length > 0) words[words.length - 1] += part;
      else if (part !== '') words.push(part);
    });
    if (i < values.length) {
      const value = String(values[i]);
      const touches = literal !== '' && !/\s$/.test(literal) && words.length > 0;
      if (touches) words[words.length - 1] += value;
      else words.push(value);
      glued = true;
    }
  });
  return words;
}

/** Cells per row of every Markdown table in `text` (split on pipes not escaped with a backslash). */
export function markdownTables(text: string): number[][] {
  const tables: number[][] = [];
  let current: number[] | null = null;
  for (const line of [...text.split('\n'), '']) {
    if (line.startsWith('|')) {
      current ??= [];
      current.push(line.split(/(?<!\\)\|/).length - 2);
    } else if (current) {
      tables.push(current);
      current = null;
    }
  }
  return tables;
}
