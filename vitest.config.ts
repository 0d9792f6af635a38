import { defineConfig } from 'vitest/config';

/**
 * Files that need more than this process: the shared DynamoDB Local, a child process (the CLI,
 * `cdk synth`, a bundled Lambda, curl, Chromium, the demo's own DynamoDB Local) or a stop signal;
 * and the demos of whole scenarios (every model of May 2026 and of today, through the CLI), which
 * run in-process but take seconds of CPU each. `npm run test:fast` (vitest.fast.config.ts) runs
 * every other file.
 */
export const INTEGRATION = [
  'test/bin/**/*.test.ts',
  'test/faults/**/*.test.ts',
  'test/cli/commands.test.ts',
  'test/cli/credentials.test.ts',
  'test/cli/demo.test.ts',
  'test/cli/demo-org.test.ts',
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
  'test/lambda/detection-budget.test.ts',
  'test/lambda/handler.test.ts',
  'test/lambda/sentinel.test.ts',
  'test/lambda/widget/handler.test.ts',
  // The organization's synthesis: 21 stacks (20 code stacks and the home) under cdk-nag each time.
  'test/cost/org-budget.test.ts',
  'test/cost/org-model.test.ts',
  'test/cost/org-report.test.ts',
  'test/lib/org/member-code.test.ts',
  'test/lib/org/org-app.test.ts',
  'test/lib/org/org-member-template.test.ts',
  'test/scripts/build-cli.test.ts',
];

// Timeouts are generous because a test asserts what happened, never how
// fast this machine is; a busy machine must make the suite slower, not red.
// Three workers on two cores: the integration files wait on child processes, a JVM and sockets as
// much as they compute, and a third worker fills what they leave idle.
export const shared = {
  reporters: ['default', './test/support/plain-summary-reporter.ts'],
  include: ['test/**/*.test.ts'],
  pool: 'forks' as const,
  // Test files share a worker's module cache: the AWS SDK, the CDK and the simulator load once per
  // worker instead of once per file (most of the suite's import time). Every file stops what it
  // starts (servers, JVMs, mocks) in its own hooks, so no file needs a fresh process.
  isolate: false,
  maxWorkers: 3,
  testTimeout: 120_000,
  hookTimeout: 120_000,
};

// One project, so one set of workers serves every file: two projects (in-process and
// integration) each loaded the SDKs in workers of their own, about 10 s more on two cores.
export default defineConfig({
  test: {
    ...shared,
    globalSetup: ['./test/support/global-dynamodb.ts'],
  },
});
