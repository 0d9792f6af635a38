import { describe, expect, it } from 'vitest';
import type { Report } from '../../../lambda/core/model';
import { renderHtml } from '../../../lambda/core/render/html';
import { renderJson } from '../../../lambda/core/render/json';
import { renderMarkdown } from '../../../lambda/core/render/markdown';
import { renderTable } from '../../../lambda/core/render/table';
import { parseReport } from '../../../lambda/core/report-file';
import { retirementNotices } from '../../../lambda/core/retirement';
import { buildSampleReport } from '../../support/sample-report';

// A model the catalog marks for retirement gets a notice N days ahead, in every report format.

const withLifecycle = (legacyTime?: string, endOfLifeTime?: string): Report => {
  const base = buildSampleReport({ source: 'aws' });
  return {
    ...base,
    finishedAt: '2026-12-01T00:00:00.000Z',
    models: base.models.map((m) =>
      m.key === 'anthropic.claude-sonnet-4-6'
        ? {
            ...m,
            declared: {
              lifecycle: {
                status: 'LEGACY',
                ...(legacyTime ? { legacyTime } : {}),
                ...(endOfLifeTime ? { endOfLifeTime } : {}),
              },
            },
          }
        : m,
    ),
  };
};

describe('retirementNotices', () => {
  it('warns of an end of life within 30 days, with a key that is stable per model and date', () => {
    // Prepare
    const report = withLifecycle(undefined, '2026-12-21T00:00:00.000Z');

    // Act
    const notices = retirementNotices(report);

    // Assess
    expect(notices).toEqual([
      expect.objectContaining({
        key: 'anthropic.claude-sonnet-4-6|end-of-life|2026-12-21',
        kind: 'end-of-life',
        daysLeft: 20,
        status: 'LEGACY',
        regions: ['us-east-1', 'us-west-2'],
      }),
    ]);
    expect(notices[0]?.message).toBe(
      'anthropic.claude-sonnet-4-6 reaches end of life and stops answering on 2026-12-21 (in 20 days; now LEGACY) in us-east-1, us-west-2',
    );
  });

  it('stays quiet beyond the window and for dates already past, and honours another window', () => {
    // Prepare
    const far = withLifecycle('2027-03-01T00:00:00.000Z', '2027-06-01T00:00:00.000Z');
    const past = withLifecycle('2026-10-01T00:00:00.000Z');

    // Act / Assess
    expect(retirementNotices(far)).toEqual([]);
    expect(retirementNotices(past)).toEqual([]);
    expect(retirementNotices(far, { days: 100 }).map((n) => n.kind)).toEqual(['legacy']);
  });

  it('shows the notice in table, Markdown, HTML and JSON, and JSON keeps the lifecycle', () => {
    // Prepare
    const report = withLifecycle(undefined, '2026-12-21T00:00:00.000Z');

    // Act
    const outputs = [
      renderTable(report, { color: false }),
      renderMarkdown(report),
      renderHtml(report),
      renderJson(report),
    ];

    // Assess
    for (const text of outputs) expect(text).toContain('stops answering on 2026-12-21');
    const back = parseReport(renderJson(report), 'json');
    expect(retirementNotices(back)).toHaveLength(1);
  });
});
