/**
 * Seeded random weights. Each tensor draws from its own stream, derived from (seed, tensor name), so a tensor's values
 * depend on nothing else (not on generation order, nor on other presets' shapes).
 *
 * xoshiro128** (32-bit state words, all integer math) seeded through splitmix32; normals by Box-Muller with
 * Math.log/Math.sqrt/Math.cos/Math.sin, which V8 computes with its own fdlibm port, so the same Node major gives the
 * same bits on every machine.
 */

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) >>> 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream: string) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`seed must be an integer in [0, 2^32): ${seed}`);
    const st = { s: (seed ^ fnv1a(stream)) >>> 0 };
    // Mix the seed in twice so that seeds differing only where the name hash also differs do not collide.
    splitmix32(st);
    st.s = (st.s ^ seed) >>> 0;
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** Next uniform 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Fills `out` with normal(0, std) values rounded to float32. */
  fillNormal(out: Float32Array, std: number): Float32Array {
    const n = out.length;
    for (let i = 0; i < n; i += 2) {
      // u1 in (0, 1] so the log is finite; u2 in [0, 1).
      const u1 = (this.nextUint32() + 1) / 4294967296;
      const u2 = this.nextUint32() / 4294967296;
      const r = std * Math.sqrt(-2 * Math.log(u1));
      const theta = 2 * Math.PI * u2;
      out[i] = r * Math.cos(theta);
      if (i + 1 < n) out[i + 1] = r * Math.sin(theta);
    }
    return out;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
