/**
 * `bedrock-matrix`: the command line (README.md "Contracts"). Exit 0 when the run completed
 * (whatever the statuses), 2 on bad input with a one-line reason, 1 when the run itself failed,
 * 130/143 after SIGINT/SIGTERM (see cli/shutdown.ts). Everything it prints is scrubbed.
 */
import { Command, CommanderError, Option } from 'commander';
import { APIS } from '../lambda/core/model';
import { FORMATS, type Format } from '../lambda/core/render';
import { registerSecretsFromEnv } from '../lambda/core/scrub';
import { type Io, processIo, scrubbingIo } from './io';
import { UsageError } from './options';
import { DEFAULT_TABLE } from './settings';
import { cliVersion } from './version';

/** What a format is, where its name alone does not say; the list itself is FORMATS. */
const FORMAT_NOTES: Partial<Record<Format, string>> = {
  capabilities: 'capability map',
  litellm: 'LiteLLM model_list',
};
const FORMAT_HELP = FORMATS.map((f) => (FORMAT_NOTES[f] ? `${f} (${FORMAT_NOTES[f]})` : f)).join(' | ');

// Each command's module (and the SDKs it needs) is imported when that command runs, so `--help`
// and a bad flag answer without loading the AWS SDKs.
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Every command that reads or writes the store names the same table unless told otherwise. */
const tableOption = (help = 'DynamoDB table for --store dynamodb'): Option =>
  new Option('--table <name>', help).default(DEFAULT_TABLE);

/** `--stack [name]`: the table named by a deployed stack's outputs; bare, each region's own stack. */
const stackOption = (): Option =>
  new Option(
    '--stack [name]',
    "read the table name from the deployed stack's TableName output (default name BedrockMatrix-<region>); overrides --table",
  );

export async function main(argv: readonly string[], rawIo: Io = processIo()): Promise<number> {
  // The secrets in use are known from the start, so even a first-line error cannot echo them.
  const forgetSecrets = registerSecretsFromEnv(rawIo.env);
  try {
    return await run(argv, scrubbingIo(rawIo));
  } finally {
    forgetSecrets();
  }
}

async function run(argv: readonly string[], io: Io): Promise<number> {
  // `--version` on every command (`bedrock-matrix probe --version` too), not only the program:
  // a bug report names the build whatever the user was about to run.
  const ownArgs = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  if (ownArgs.includes('--version') || ownArgs.includes('-V')) {
    io.stdout.write(`bedrock-matrix ${cliVersion()}\n`);
    return 0;
  }
  let exitCode = 0;
  const program = new Command('bedrock-matrix')
    .description(
      'Which Amazon Bedrock model works through which API on which endpoint, per region, and does a Guardrail really stop a request there.',
    )
    .option('-V, --version', 'print the version (package version +git commit when run from a clone)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`bedrock-matrix: ${s.replace(/^error: /, '')}`),
    })
    .showSuggestionAfterError(true);

  const withProbeFlags = (cmd: Command): Command =>
    cmd
      .addOption(new Option('--format <format>', FORMAT_HELP).default('table'))
      .option('--out <file>', 'write the rendered report to FILE instead of stdout')
      .option(
        '--models <globs>',
        'only model keys matching these globs (comma list, e.g. "anthropic.*,openai.gpt-oss-*")',
      )
      .option('--exclude-models <globs>', 'skip model keys matching these globs (comma list)')
      .option('--apis <apis>', `only these apis (comma list of ${APIS.join(', ')})`)
      .option('--concurrency <n>', 'probes in flight at once (1-64)', '8')
      .option(
        '--per-model-concurrency <n>',
        'probes in flight at once on one model, all its endpoints and IDs together (1-16)',
        '2',
      )
      .option('--max-tokens <n>', 'max_tokens per probe (1-4096)', '16')
      .option('--max-calls <n>', 'cap on probe calls per region (retries included)')
      .option('--max-run-tokens <n>', 'cap on tokens (in + out) per region; later cells are skipped')
      .option('--timeout <ms>', 'per-probe timeout in milliseconds', '20000')
      .option('--dependency-timeout <ms>', 'timeout of one control-plane or DynamoDB call, ms (100-120000)')
      .option(
        '--mantle-first-timeout <ms>',
        'timeout of the first call to each mantle model, ms (1000-600000)',
      )
      .option('--max-answer-mb <mb>', 'largest probe answer read, MB (1-64); past it the cell is error')
      .option('--guardrail-id <id>', 'probe Guardrail ID (enables guardrail cells)')
      .option('--guardrail-version <v>', 'probe Guardrail version')
      .option('--canary <phrase>', "the word the probe Guardrail's word filter blocks")
      .option('--store <store>', 'none | dynamodb (remember runs, detect and confirm changes)', 'none')
      .addOption(tableOption())
      .addOption(stackOption())
      .option('--confirm <n>', 're-probes before a change is believed (0-5)', '2')
      .option('--notice-days <n>', 'days ahead a LEGACY or end-of-life date is announced (0-365)', '30')
      .option('--quiet', 'no progress bar')
      .option('--no-color', 'no colour in table output')
      .option('--wide', "table: the full view (status words, per-host IDs) whatever the terminal's width");

  withProbeFlags(
    program
      .command('probe')
      .description(
        'Probe the matrix in one or more regions (real AWS, or wherever the endpoint overrides point).',
      )
      .option('--region <region>', 'AWS region (repeat or comma list)', collect, [])
      .option(
        '--record <dir>',
        'write every raw exchange of the run to DIR (redacted), for simulate --replay',
      ),
  ).action(async (opts) => {
    exitCode = await (await import('./commands/probe')).runProbe(opts, io);
  });

  withProbeFlags(
    program
      .command('demo')
      .description(
        'Run the matrix end to end against the local Bedrock simulator: no AWS account needed, and AWS is never called unless --aws.',
      )
      .option(
        '--scenario <name|file>',
        'simulator scenario (may-2026, today, org, or a JSON file; default today, org with --org)',
      )
      .option(
        '--region <region>',
        'simulated region(s), each as the scenario says it differs (repeat or comma list; default us-east-1)',
        collect,
        [],
      )
      .option('--aws', 'probe real AWS in --region instead of the simulator (the same as probe --region)')
      .addOption(
        new Option(
          '--view <view>',
          'matrix (models x endpoint/api per region) | regions (models x regions per endpoint/api); default regions with several --region, else matrix',
        ),
      )
      .option(
        '--drift',
        'run the may-2026 scenario as a baseline into DynamoDB Local, then today, and show the confirmed changes and the alert',
      )
      .option(
        '--org',
        'an AWS Organization offline (scenario org): every account a member in every --region, on a simulated clock; prints the organization view and its alerts',
      )
      .option('--model <key>', 'with --org: the model whose accounts, regions and apis are shown')
      .option(
        '--member <account/region>',
        "with --org: also show that member's own matrix (e.g. 222222222222/eu-west-1)",
      ),
  ).action(async (opts) => {
    // Real AWS only when asked by name: `--region` alone picks simulated regions.
    exitCode = opts.aws
      ? await (await import('./commands/probe')).runProbe(opts, io)
      : await (await import('./commands/demo')).runDemo(opts, io);
  });

  program
    .command('simulate')
    .description(
      'Start the local Bedrock simulator; prints {"runtime","mantle","control"} URLs as one JSON line.',
    )
    .option('--scenario <name|file>', 'scenario to serve (may-2026, today, or a JSON file)', 'today')
    .option('--runtime-port <n>', 'runtime host port (0 = any free port)')
    .option('--mantle-port <n>', 'mantle host port (0 = any free port)')
    .option('--control-port <n>', 'control plane port (0 = any free port)')
    .option('--replay <dir>', 'serve the exchanges a probe --record run wrote to DIR, verbatim')
    .action(async (opts) => {
      exitCode = await (await import('./commands/simulate')).runSimulateCommand(opts, io);
    });

  program
    .command('diff')
    .description(
      'Changes between two runs: two report files, or from the store (--region, --since or --runs).',
    )
    .argument('[reports...]', 'two report JSON files (old, new)')
    .option('--region <region>', 'region, with --store data')
    .option('--since <time>', 'ISO time: confirmed changes since then (from the store)')
    .option('--runs <a,b>', 'two run IDs from the store to compare')
    .addOption(tableOption('DynamoDB table'))
    .addOption(stackOption())
    .addOption(new Option('--format <format>', 'table | json | markdown').default('table'))
    .action(async (reports: string[], opts) => {
      exitCode = await (await import('./commands/diff')).runDiff(reports, opts, io);
    });

  program
    .command('report')
    .description(
      'Render saved report JSON, or the stored confirmed matrix, in any format (no probing); --view regions for models x regions.',
    )
    .option(
      '--in <file>',
      'report JSON written by probe --format json (repeat to combine regions from several files)',
      collect,
      [],
    )
    .addOption(
      new Option(
        '--view <view>',
        'matrix (models x endpoint/api per region) | regions (models x regions per endpoint/api, with first seen supported)',
      ).default('matrix'),
    )
    .option('--store <store>', 'dynamodb: read the confirmed matrix of --region from the table')
    .option('--region <region>', 'region, with --store dynamodb (repeat or comma list)', collect, [])
    .addOption(tableOption())
    .addOption(stackOption())
    .addOption(new Option('--format <format>', FORMAT_HELP).default('table'))
    .option('--notice-days <n>', 'days ahead retirement notices look (0-365; default: as the run was made)')
    .option('--out <file>', 'write to FILE instead of stdout')
    .option('--no-color', 'no colour in table output')
    .option('--wide', "table: the full view (status words, per-host IDs) whatever the terminal's width")
    .action(async (opts) => {
      exitCode = await (await import('./commands/report')).runReport(opts, io);
    });

  program
    .command('recipe')
    .description(
      'How to call MODEL where the matrix measured it to work (base URL, route, ID, auth, guardrail, snippets), or why not.',
    )
    .argument('<model>', 'model key, e.g. openai.gpt-oss-120b')
    .option('--endpoint <endpoint>', 'runtime | mantle')
    .option('--api <api>', 'converse | invoke | chat | responses | messages')
    .option('--region <region>', 'region (repeat or comma list; required with --store)', collect, [])
    .option('--in <file>', 'report JSON written by probe --format json')
    .option('--store <store>', 'dynamodb: read the confirmed matrix from the table')
    .addOption(tableOption())
    .addOption(stackOption())
    .addOption(new Option('--format <format>', 'text (Markdown) | json').default('text'))
    .option('--out <file>', 'write to FILE instead of stdout')
    .action(async (model: string, opts) => {
      exitCode = await (await import('./commands/recipe')).runRecipe(model, opts, io);
    });

  program
    .command('scenario')
    .description('Turn a report (a real run included) into a simulator scenario, to replay that day offline.')
    .requiredOption('--from <report>', 'report JSON written by probe --format json')
    .option('--out <file>', 'write the scenario to FILE instead of stdout')
    .option('--name <name>', 'scenario name (default: derived from the run)')
    .option('--canary <phrase>', 'the canary word the replayed guardrail blocks')
    .action(async (opts) => {
      exitCode = await (await import('./commands/scenario-from')).runScenarioFrom(opts, io);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0; every parse error already printed its one line.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UsageError) {
      io.stderr.write(`bedrock-matrix: ${err.message}\n`);
      return 2;
    }
    io.stderr.write(`bedrock-matrix: run failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
