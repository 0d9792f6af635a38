import { defineConfig } from 'vitest/config';

/**
 * Files that need more than this process: the shared DynamoDB Local, a child process (the CLI,
 * `cdk synth`, a bundled Lambda, curl, Chromium, the demo's own DynamoDB Local) or a stop signal;
 * and the demos of whole scenarios (every model of May 2026 and of today, through the CLI), which
 * run in-process but take seconds of CPU each. Everything else runs in the `unit` project
 * (`npm run test:fast`).
 */
const INTEGRATION = [
  'test/bin/**/*.test.ts',
  'test/faults/**/*.test.ts',
  'test/cli/commands.test.ts',
  'test/cli/credentials.test.ts',
  'test/cli/demo.test.ts',
  'test/cli/diff.test.ts',
  'test/cli/report-regions.test.ts',
  'test/cli/report-store.test.ts',
  'test/cli/secrets-surfaces.test.ts',
  'test/cli/scenario-from.test.ts',
  'test/cli/secrets.test.ts',
  'test/cli/shutdown.test.ts',
  'test/cli/simulate.test.ts',
  'test/cli/store.test.ts',
  'test/lambda/adapters/store/dynamodb-store.test.ts',
  'test/lambda/core/recipes.test.ts',
  'test/lambda/core/render/html.browser.test.ts',
  'test/lambda/handler.test.ts',
  'test/lambda/widget/handler.test.ts',
  'test/scripts/build-cli.test.ts',
];

// Timeouts are generous because a test asserts what happened, never how
// fast this machine is; a busy machine must make the suite slower, not red.
// Three workers on two cores (both projects share one pool): the integration files wait on child
// processes, a JVM and sockets as much as they compute, and a third worker fills what they leave idle.
const shared = { maxWorkers: 3, testTimeout: 120_000, hookTimeout: 120_000 } as const;

export default defineConfig({
  test: {
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: INTEGRATION,
          pool: 'forks',
          // In-process tests share a worker's module cache: the AWS SDK, the CDK and the simulator
          // load once per worker instead of once per file (most of the suite's import time).
          isolate: false,
        },
      },
      {
        test: {
          ...shared,
          name: 'integration',
          include: INTEGRATION,
          pool: 'forks',
          // Shared module cache here too: every file stops what it starts (servers, JVMs, mocks) in
          // its own hooks, so a worker needs no fresh process per file (about 45 s of CPU saved).
          isolate: false,
          globalSetup: ['./test/support/global-dynamodb.ts'],
        },
      },
    ],
  },
});
