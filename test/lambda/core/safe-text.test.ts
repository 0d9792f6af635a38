import { describe, expect, it } from 'vitest';
import { safeDeep, safeText } from '../../../lambda/core/safe-text';

describe('safeText', () => {
  it('shows ESC, BEL, CR and other C0 as control pictures, C1 and bidi controls as code points', () => {
    // Prepare
    const hostile = 'a\u001b[2Jb\u001b]8;;https://evil.example\u0007c\rd\u0000e\u009bf\u202eg\u007f';

    // Act
    const safe = safeText(hostile);

    // Assess
    expect(safe).toBe('a␛[2Jb␛]8;;https://evil.example␇c␍d␀e<U+009B>f<U+202E>g␡');
  });

  it('leaves ordinary text, tabs, line feeds and non-Latin letters as they are', () => {
    // Prepare
    const text = 'anthropic.claude-sonnet-4-6\tmodèle 模型\nnext';

    // Act / Assess
    expect(safeText(text)).toBe(text);
  });
});

describe('safeDeep', () => {
  it('makes every string of a JSON-like value safe and returns an untouched value itself', () => {
    // Prepare
    const clean = { a: ['x', { b: 'y' }], n: 1 };
    const dirty = { a: ['x\u001b[31m', { b: 'y' }], n: 1 };

    // Act / Assess
    expect(safeDeep(clean)).toBe(clean);
    expect(safeDeep(dirty)).toEqual({ a: ['x␛[31m', { b: 'y' }], n: 1 });
  });
});
