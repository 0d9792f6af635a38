import { describe, expect, it } from 'vitest';
import {
  cellSk,
  changeKey,
  DYNAMODB_LIMITS,
  HASHED_PART_PREFIX,
  historyPk,
  itemProblem,
  namePart,
  outboxSk,
} from '../../../../lambda/adapters/store/keys';
import { modelChange } from '../../../support/changes';

const LONG_ID = `openai.${'x'.repeat(2_500)}`;

describe('namePart', () => {
  it('keeps a plain model key as it is', () => {
    // Act / Assess
    expect(namePart('anthropic.claude-sonnet-4-6', 'model key')).toBe('anthropic.claude-sonnet-4-6');
  });

  it.each([
    ['a 2.5 KB ID', LONG_ID],
    ['an ID holding #', 'bad#model'],
    ['an ID with an escape sequence', 'openai.\u001b]8;;https://evil.example\u0007x'],
    ['an ID with a lone surrogate', 'openai.\uD800x'],
    ['an ID that looks like a hash', `${HASHED_PART_PREFIX}abc`],
  ])('hashes %s into a short, stable part without #', (_, id) => {
    // Act
    const once = namePart(id, 'model key');
    const again = namePart(id, 'model key');

    // Assess
    expect(once).toBe(again);
    expect(once.startsWith(HASHED_PART_PREFIX)).toBe(true);
    expect(once).not.toContain('#');
    expect(once.length).toBeLessThan(60);
  });

  it('gives two long IDs two different parts', () => {
    // Act / Assess
    expect(namePart(`${LONG_ID}a`, 'model key')).not.toBe(namePart(`${LONG_ID}b`, 'model key'));
  });
});

describe('keys of a model with a hostile ID', () => {
  it('stay under DynamoDB key limits for the cell, its history and an outbox notice', () => {
    // Prepare
    const cell = {
      region: 'us-east-1',
      model: LONG_ID,
      endpoint: 'mantle',
      api: 'chat',
      variant: 'basic',
    } as const;
    const notice = modelChange({
      region: 'us-east-1',
      model: LONG_ID,
      endpoint: 'runtime',
      kind: 'retirement-notice',
      notice: { key: `${LONG_ID}|legacy|2027-01-01`, kind: 'legacy', date: '2027-01-01' },
    });

    // Act
    const keys = [cellSk(cell), outboxSk('2026-11-25T10:00:00.000Z', 'run-1', changeKey(notice))];

    // Assess
    for (const k of keys) expect(Buffer.byteLength(k)).toBeLessThanOrEqual(DYNAMODB_LIMITS.sortKeyBytes);
    expect(
      Buffer.byteLength(historyPk({ account: '123456789012', region: 'us-east-1' }, cell)),
    ).toBeLessThanOrEqual(DYNAMODB_LIMITS.partitionKeyBytes);
  });
});

describe('itemProblem', () => {
  it('passes an ordinary item', () => {
    // Act / Assess
    expect(itemProblem({ pk: 'STATE#us-east-1', sk: 'MODEL#a', key: 'a' })).toBeNull();
  });

  it('names a sort key past 1024 bytes, a partition key past 2048 and an item past 400 KB', () => {
    // Act / Assess
    expect(itemProblem({ pk: 'P', sk: 's'.repeat(1025) })).toMatch(/^sort key of 1025 bytes \(limit 1024\)/);
    expect(itemProblem({ pk: 'p'.repeat(2049), sk: 'S' })).toMatch(
      /^partition key of 2049 bytes \(limit 2048\)/,
    );
    expect(itemProblem({ pk: 'P', sk: 'S', evidence: { message: 'é'.repeat(210_000) } })).toMatch(
      /^item of about \d+ bytes \(limit 409600\): P \/ S$/,
    );
  });
});
