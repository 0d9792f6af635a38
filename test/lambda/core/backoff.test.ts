import { describe, expect, it } from 'vitest';
import { jitteredBackoff } from '../../../lambda/core/backoff';

describe('jitteredBackoff', () => {
  const backoff = { baseMs: 500, maxMs: 8000 };

  it('doubles the ceiling per retry and keeps at least half of it', () => {
    // Act
    const lowest = [0, 1, 2].map((retry) => jitteredBackoff(retry, backoff, () => 0));
    const highest = [0, 1, 2].map((retry) => jitteredBackoff(retry, backoff, () => 1));

    // Assess
    expect(lowest).toEqual([250, 500, 1000]);
    expect(highest).toEqual([500, 1000, 2000]);
  });

  it('never grows past maxMs', () => {
    // Act
    const late = jitteredBackoff(20, backoff, () => 1);

    // Assess
    expect(late).toBe(8000);
  });
});
