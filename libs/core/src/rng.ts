import { AkdError } from './errors.js';

/**
 * Seeded pseudo-random generator (SplitMix32 seeding an xoshiro128** core) whose whole state is
 * four 32-bit words, so a search can persist it and resume with the same sequence.
 */
export class Rng {
  private s: Uint32Array;

  /**
   * Seeds the generator from a number, or restores it from a {@link Rng.state} array.
   *
   * @throws AkdError (INVALID_INPUT) for a state that is not four unsigned 32-bit integers, or is
   *   all zero, because xoshiro128** never leaves the all-zero state
   */
  constructor(seed: number | readonly number[]) {
    this.s = new Uint32Array(4);
    if (typeof seed === 'number') {
      let x = seed >>> 0;
      for (let i = 0; i < 4; i++) {
        x = (x + 0x9e3779b9) >>> 0;
        let z = x;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
        this.s[i] = (z ^ (z >>> 16)) >>> 0;
      }
      if (this.s.every((v) => v === 0)) this.s[0] = 1;
    } else {
      checkState(seed);
      this.s.set(seed);
    }
  }

  /** Returns the generator state; `new Rng(state)` continues the same sequence. */
  state(): number[] {
    return Array.from(this.s);
  }

  /** Returns the next unsigned 32-bit integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Returns a float uniformly distributed in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Returns an integer uniformly distributed in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Returns one element of `items`, chosen uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick called with an empty list');
    return items[this.int(items.length)];
  }

  /** Returns a standard normal sample (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}

function checkState(state: readonly number[]): void {
  const words = state.length === 4 && state.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff);
  if (!words) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid Rng state [${state.join(', ')}]: expected four unsigned 32-bit integers, as Rng.state() returns.`,
      { state: [...state] },
    );
  }
  if (state.every((w) => w === 0)) {
    throw new AkdError(
      'INVALID_INPUT',
      'Invalid Rng state [0, 0, 0, 0]: xoshiro128** returns 0 forever from it, so at least one word must be non-zero.',
      { state: [...state] },
    );
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
