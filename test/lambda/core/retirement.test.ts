import { describe, expect, it } from 'vitest';
import type { Report } from '../../../lambda/core/model';
import { renderHtml } from '../../../lambda/core/render/html';
import { renderJson } from '../../../lambda/core/render/json';
import { renderMarkdown } from '../../../lambda/core/render/markdown';
import { renderTable } from '../../../lambda/core/render/table';
import { parseReport } from '../../../lambda/core/report-file';
import { noticeChange, retirementNotices } from '../../../lambda/core/retirement';
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

  it('reads the window the run was made with, and a report file keeps it', () => {
    // Prepare: end of life in 45 days, beyond the default 30.
    const report = withLifecycle(undefined, '2027-01-15T00:00:00.000Z');
    const wide: Report = { ...report, noticeDays: 60 };

    // Act
    const back = parseReport(renderJson(wide), 'json');

    // Assess
    expect(retirementNotices(report)).toEqual([]);
    expect(retirementNotices(wide).map((n) => n.daysLeft)).toEqual([45]);
    expect(back.noticeDays).toBe(60);
    expect(retirementNotices(back)).toHaveLength(1);
  });
});

describe('noticeChange', () => {
  it('is one LOW retirement-notice change naming the model, the date and its once-only key, kept by the JSON', () => {
    // Prepare
    const report = withLifecycle('2026-12-11T00:00:00.000Z', '2026-12-21T00:00:00.000Z');
    const [legacy, eol] = retirementNotices(report);

    // Act
    const changes = [legacy!, eol!].map((n) => noticeChange('us-east-1', n, report.finishedAt));
    const back = parseReport(renderJson({ ...report, changes }), 'json');

    // Assess
    expect(changes[1]).toMatchObject({
      region: 'us-east-1',
      model: 'anthropic.claude-sonnet-4-6',
      kind: 'retirement-notice',
      notice: {
        key: 'anthropic.claude-sonnet-4-6|end-of-life|2026-12-21',
        kind: 'end-of-life',
        date: '2026-12-21T00:00:00.000Z',
      },
    });
    expect(changes[1]?.evidence?.reason).toContain('stops answering on 2026-12-21 (in 20 days');
    expect(back.changes).toEqual(changes);
  });
});
