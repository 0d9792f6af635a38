import { describe, expect, it } from 'vitest';
import { catalogMark } from '../../../lambda/core/catalog-mark';
import type { ModelEntry } from '../../../lambda/core/model';
import type { QueuedRun } from '../../../lambda/core/ports';
import { nextRun } from '../../../lambda/core/sentinel-plan';

const model = (key: string): ModelEntry => ({
  key,
  provider: 'openai',
  ids: { mantle: key },
  sources: ['mantle-models'],
});
const queued = (id: string, kind: QueuedRun['kind'], models: string[] = []): QueuedRun => ({
  id,
  kind,
  models,
  at: `2026-12-07T10:0${id.length}:00.000Z`,
});

describe('nextRun', () => {
  const listed = [model('openai.a'), model('openai.b')];

  it('runs nothing when the catalogs match the mark and nothing waits', () => {
    // Act / Assess
    expect(nextRun([], { mark: catalogMark(listed), models: listed })).toBeNull();
    expect(nextRun([])).toBeNull();
  });

  it('runs a first sweep when no run stored a mark yet', () => {
    // Act
    const next = nextRun([], { mark: null, models: listed });

    // Assess
    expect(next).toMatchObject({ kind: 'sweep', models: [] });
  });

  it('targets the moved models and every queued targeted model, in one run that covers the queue', () => {
    // Prepare
    const mark = catalogMark([model('openai.a')]);

    // Act
    const next = nextRun([queued('q1', 'targeted', ['openai.z'])], { mark, models: listed });

    // Assess
    expect(next).toEqual({
      kind: 'targeted',
      models: ['openai.b', 'openai.z'],
      queuedIds: ['q1'],
      reason: 'catalogs moved for 1 models, 1 queued runs',
    });
  });

  it('lets a queued sweep absorb every targeted request', () => {
    // Act
    const next = nextRun([queued('q1', 'targeted', ['openai.z']), queued('q22', 'sweep')], {
      mark: catalogMark([model('openai.a')]),
      models: listed,
    });

    // Assess
    expect(next).toMatchObject({ kind: 'sweep', models: [], queuedIds: ['q1', 'q22'] });
  });
});
