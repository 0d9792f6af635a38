import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../cli/suggest';

// A mistyped model key gets the keys it most likely meant, closest first.

const KEYS = [
  'openai.gpt-oss-120b',
  'openai.gpt-oss-20b',
  'anthropic.claude-sonnet-4-5',
  'amazon.nova-micro',
];

describe('didYouMean', () => {
  it.each([
    ['openai.gpt-oss-12b', ['openai.gpt-oss-120b', 'openai.gpt-oss-20b']],
    ['anthropic.claude-sonet-4-5', ['anthropic.claude-sonnet-4-5']],
    ['nova-micro', ['amazon.nova-micro']],
    ['zzz', []],
  ])('%s -> %j', (typo, expected) => {
    // Act / Assess
    expect(didYouMean(typo, KEYS)).toEqual(expected);
  });

  it('counts insertions, deletions and substitutions', () => {
    // Act / Assess
    expect([editDistance('kitten', 'sitting'), editDistance('', 'ab'), editDistance('ab', 'ab')]).toEqual([
      3, 2, 0,
    ]);
  });
});
