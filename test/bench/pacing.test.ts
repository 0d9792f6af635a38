import { describe, expect, it } from 'vitest';
import { InFlightRecorder, pacingBound } from '../../bench/pacing';

// The bound `npm run bench` holds a run's duration to (docs/bench.md "Pacing").

const call = (cell: string) => ({ model: cell.split('|')[0] as string, cell });
const options = { latencyMs: 1000, concurrency: 8, perModel: 2 };

describe('pacingBound', () => {
  it("takes a model's longest chain: its basic cell's calls, then a follow-up's own", () => {
    // Prepare: the basic cell took 3 calls (two routes, a retry), its stream follow-up 2
    const calls = [
      ...Array.from({ length: 3 }, () => call('m|mantle|chat|basic')),
      ...Array.from({ length: 2 }, () => call('m|mantle|chat|stream')),
      call('m|mantle|chat|tools'),
    ];

    // Act
    const bound = pacingBound(calls, options);

    // Assess
    expect(bound.chainMs).toBe(5000);
    expect(bound.chainModel).toBe('m');
    expect(bound.throughputMs).toBe(750);
    expect(bound.boundMs).toBe(5000);
  });

  it("takes a model's calls over its cap when they outlast its longest chain", () => {
    // Prepare: 7 one-call basic cells of one model
    const calls = Array.from({ length: 7 }, (_, i) => call(`m|runtime|api${i}|basic`));

    // Act
    const bound = pacingBound(calls, options);

    // Assess: ceil(7 / 2) calls one after another
    expect(bound.chainMs).toBe(4000);
  });

  it('takes the throughput bound when many models share the slots', () => {
    // Prepare: 40 models, one call each
    const calls = Array.from({ length: 40 }, (_, i) => call(`m${i}|mantle|chat|basic`));

    // Act
    const bound = pacingBound(calls, options);

    // Assess
    expect(bound.throughputMs).toBe(5000);
    expect(bound.boundMs).toBe(5000);
  });
});

describe('InFlightRecorder', () => {
  it('keeps the highest count one model reached', () => {
    // Prepare
    const recorder = new InFlightRecorder();
    const [a1, a2, b1] = [call('a|x|y|basic'), call('a|x|y|stream'), call('b|x|y|basic')];

    // Act
    recorder.start(a1);
    recorder.start(b1);
    recorder.start(a2);
    recorder.end(a1);
    recorder.end(a2);
    recorder.start(a1);

    // Assess
    expect(recorder.maxPerModel).toEqual({ calls: 2, model: 'a' });
  });
});
