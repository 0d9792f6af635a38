import { describe, expect, it } from 'vitest';
import { readMeasurement } from '../../cost/main';
import { seriesKey } from '../../cost/measure-run';
import { buildMetricData } from '../../lambda/core/metric-data';
import { buildSampleReport } from '../support/sample-report';

describe('cost/measured-run.json', () => {
  it('holds exactly the metric series lambda/core/metric-data.ts publishes for a run (re-measure when it changes)', () => {
    // Prepare: any report of the region; every endpoint x api series is sent even at zero.
    const report = buildSampleReport();
    const region = report.regions[0] as string;

    // Act
    const published = new Set(buildMetricData(report, { region, durationMs: 1 }).map(seriesKey));

    // Assess
    expect([...published].sort()).toEqual(readMeasurement().metricSeries);
  });
});
