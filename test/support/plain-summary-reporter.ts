/**
 * Ends the run with the plain `N passed, N failed` line that CI tooling reads in any language,
 * after Vitest's own summary (whose format that tooling does not know). A file whose set-up or
 * teardown failed, and an error no test caught, count as failed too: the run is red for them.
 */
import type { Reporter, SerializedError, TestModule } from 'vitest/node';

/** The parts of a test module the summary reads. */
type Counted = Pick<TestModule, 'errors'> & {
  readonly children: Pick<TestModule['children'], 'allTests'>;
};

export function summaryLine(modules: ReadonlyArray<Counted>, unhandled: ReadonlyArray<unknown> = []): string {
  const count = (state: 'passed' | 'failed' | 'skipped') =>
    modules.reduce((n, m) => n + [...m.children.allTests(state)].length, 0);
  const outside = modules.reduce((n, m) => n + m.errors().length, 0) + unhandled.length;
  const skipped = count('skipped');
  return [
    `${count('passed')} passed, ${count('failed') + outside} failed`,
    outside ? ` (${outside} outside any test: a file's set-up or teardown, or an uncaught error)` : '',
    skipped ? `, ${skipped} skipped` : '',
  ].join('');
}

export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
  ): void {
    process.stdout.write(`\n${summaryLine(testModules, unhandledErrors)}\n`);
  }
}
