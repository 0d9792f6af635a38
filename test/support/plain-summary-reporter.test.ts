import { describe, expect, it } from 'vitest';
import { summaryLine } from './plain-summary-reporter';

/** A test module with the given test states and errors outside its tests. */
const module = (states: readonly string[], errors: readonly unknown[] = []) => ({
  errors: () => [...errors] as never[],
  children: {
    allTests: (state?: string) => states.filter((s) => s === state).map((s) => ({ s })) as never,
  },
});

describe('summaryLine', () => {
  it('counts passed, failed and skipped tests across files', () => {
    // Act
    const line = summaryLine([module(['passed', 'passed', 'failed']), module(['passed', 'skipped'])]);

    // Assess
    expect(line).toBe('3 passed, 1 failed, 1 skipped');
  });

  it('counts a file whose set-up or teardown failed as failed, though each of its tests passed', () => {
    // Act
    const line = summaryLine([module(['passed', 'passed'], [{ message: 'afterAll hook failed' }])]);

    // Assess
    expect(line).toBe(
      "2 passed, 1 failed (1 outside any test: a file's set-up or teardown, or an uncaught error)",
    );
  });

  it('counts an error no test caught as failed', () => {
    // Act
    const line = summaryLine([module(['passed'])], [{ message: 'unhandled rejection' }]);

    // Assess
    expect(line).toMatch(/^1 passed, 1 failed \(1 outside any test/);
  });
});
