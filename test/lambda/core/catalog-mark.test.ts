import { describe, expect, it } from 'vitest';
import { catalogMark, changedModels, markAfter, modelFingerprint } from '../../../lambda/core/catalog-mark';
import type { ModelEntry } from '../../../lambda/core/model';

const model = (key: string, over: Partial<ModelEntry> = {}): ModelEntry => ({
  key,
  provider: key.split('.')[0] ?? 'x',
  ids: { runtime: key, mantle: key },
  sources: ['foundation-models', 'mantle-models'],
  ...over,
});

describe('the catalog mark', () => {
  it('fingerprints an entry whatever order the catalogs list its parts in', () => {
    // Act
    const a = modelFingerprint(model('openai.a', { sources: ['mantle-models', 'foundation-models'] }));
    const b = modelFingerprint(model('openai.a', { ids: { mantle: 'openai.a', runtime: 'openai.a' } }));

    // Assess
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
  });

  it('names the models that appeared, left, or whose IDs or lifecycle moved, and no other', () => {
    // Prepare
    const mark = catalogMark([model('openai.a'), model('openai.b'), model('openai.c')]);
    const now = [model('openai.a'), model('openai.b', { ids: { runtime: 'openai.b' } }), model('openai.d')];
    const legacy = [model('openai.a', { declared: { lifecycle: { status: 'LEGACY' } } })];

    // Act / Assess
    expect(changedModels(mark, now)).toEqual(['openai.b', 'openai.c', 'openai.d']);
    expect(changedModels(catalogMark([model('openai.a')]), legacy)).toEqual(['openai.a']);
    expect(changedModels(mark, [model('openai.a'), model('openai.b'), model('openai.c')])).toEqual([]);
  });

  it('after a targeted run, moves only the keys it probed', () => {
    // Prepare: b moved and d appeared, but the run probed only d (and c, which left)
    const mark = catalogMark([model('openai.a'), model('openai.b'), model('openai.c')]);
    const listed = [
      model('openai.a'),
      model('openai.b', { ids: { runtime: 'openai.b' } }),
      model('openai.d'),
    ];

    // Act
    const next = markAfter(mark, ['openai.c', 'openai.d'], listed);

    // Assess: b still differs (the next tick probes it), c is gone, d is known
    expect(changedModels(next, listed)).toEqual(['openai.b']);
    expect(Object.keys(next).sort()).toEqual(['openai.a', 'openai.b', 'openai.d']);
  });
});
