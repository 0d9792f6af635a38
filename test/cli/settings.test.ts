import { describe, expect, it } from 'vitest';
import { probeSettings } from '../../cli/settings';

describe('probeSettings', () => {
  it('hands --per-model-concurrency to the prober, 2 when not given', () => {
    // Act
    const given = probeSettings({ perModelConcurrency: '3' });
    const absent = probeSettings({});

    // Assess
    expect(given.limits.perModelConcurrency).toBe(3);
    expect(absent.limits.perModelConcurrency).toBe(2);
  });
});
