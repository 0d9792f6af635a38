/**
 * A simulated clock for the benchmark's pacing run: the prober's `now` and `sleep` read and wait
 * on it, and each probe's answer time is a `sleep` on it, so a full region at 1.2 s a call takes
 * seconds of real time instead of minutes. Real I/O (the HTTP calls to the simulator) counts as
 * no simulated time: the clock moves only when nothing real is in flight and every piece of work
 * waits on a simulated timer, and then straight to the earliest timer (a discrete-event loop).
 */

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
}

/** Real time to wait between looks while real I/O is in flight. */
const POLL_MS = 1;

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));
const realPause = () => new Promise<void>((resolve) => setTimeout(resolve, POLL_MS));

export class VirtualClock {
  private t = 0;
  private seq = 0;
  private timers: Timer[] = [];
  private real = 0;

  readonly now = (): number => this.t;

  readonly sleep = (ms: number): Promise<void> =>
    new Promise<void>((fire) => {
      this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, fire });
    });

  /** Runs real I/O; the clock stands still until it settles. */
  readonly io = async <T>(work: () => Promise<T>): Promise<T> => {
    this.real += 1;
    try {
      return await work();
    } finally {
      this.real -= 1;
    }
  };

  /** Drives the clock until `work` settles, and returns what it returned. */
  async drive<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const done = work.finally(() => {
      settled = true;
    });
    done.catch(() => undefined);
    while (!settled) {
      // Let every continuation of the last event run (and start its real I/O) first.
      await macrotask();
      if (settled) break;
      if (this.real > 0 || this.timers.length === 0) {
        await realPause();
        continue;
      }
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift() as Timer;
      this.t = next.at;
      next.fire();
    }
    return done;
  }
}
