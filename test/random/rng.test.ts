// The seeded generator: the original sequence of new Rng(seed) is unchanged (the
// zero test and the diffusion checks depend on it), streams are reproducible to
// the bit, distinct and uncorrelated, normal() has the moments of N(0, 1), and
// zigguratNormal() follows N(0, 1) in moments, distribution function and tails
// from tables that close up as the construction requires.

import { describe, expect, it } from 'vitest';
import { FEISTEL_KEYS, Rng, fmix32, gaussianTail, streamState, ziggurat } from '../../src/random/rng.ts';

describe('new Rng(seed): the original generator', () => {
  // Recorded before streams and normals were added.
  const golden: [number, number[], number, number][] = [
    [0, [3809008728, 1133695204, 53579671], 0.6732365118900101, 0.5649395594152828],
    [1, [2442144158, 3238099751, 3819917871], 0.4900204574360133, 2.9168431890371327],
    [42, [2837322924, 544945897, 479756282], 0.814939410083783, -1.868248961299314],
    [0xffffffff, [835879718, 1921286648, 2356205009], 0.4390675368031789, -0.7730852568071445],
  ];
  it.each(golden)('seed %i gives the recorded sequence', (seed, bits, u, b) => {
    const r = new Rng(seed);
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual(bits);
    expect(r.uniform()).toBe(u);
    expect(r.between(-2, 3)).toBe(b);
  });
});

describe('new Rng(seed, stream): independent streams', () => {
  // Exact values: int32 arithmetic is the same everywhere; the normals use only
  // sqrt (correctly rounded) and V8's fdlibm log.
  const golden: [number, number, number[], number[], number[]][] = [
    [1, 0, [3521436377, 730043549, 3366662758, 2148229278], [277860428, 4176019822], [-2.8359117048391123, -0.8471822333710576, 0.5241528253428125]],
    [1, 1, [3864031529, 3648450423, 1495449892, 134457857], [4094424727, 1650736503], [1.2827271907129483, -0.9762818844328348, -0.8431890351972093]],
    [42, 7, [3902275937, 2815953045, 830492333, 1030133427], [2093029819, 3863303324], [0.17139728619012565, -0.9433514575151456, 0.41840096102985735]],
    [0xffffffff, 0xffffffff, [1522601654, 1105141105, 3504551978, 1523303957], [471232452, 3227277541], [-1.4922750447466337, -0.3928699060670478, -1.317860607106213]],
  ];
  it.each(golden)('seed %i, stream %i gives the recorded state, bits and normals', (seed, stream, state, bits, normals) => {
    expect(streamState(seed, stream)).toEqual(state);
    const r = new Rng(seed, stream);
    expect(r.state()).toEqual(state);
    expect([r.nextUint32(), r.nextUint32()]).toEqual(bits);
    expect([r.normal(), r.normal(), r.normal()]).toEqual(normals);
  });

  it('the same (seed, stream) always gives the same numbers', () => {
    const a = new Rng(123, 456);
    const b = new Rng(123, 456);
    for (let i = 0; i < 1000; i++) expect(a.normal()).toBe(b.normal());
  });

  it('maps (seed, stream) to distinct states (the Feistel network is a bijection)', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 64; seed++) {
      for (let stream = 0; stream < 2048; stream++) seen.add(streamState(seed, stream).slice(0, 2).join(','));
    }
    expect(seen.size).toBe(64 * 2048);
  });

  it('inverts the Feistel rounds: the first two state words determine (seed, stream)', () => {
    const invert = (a0: number, b0: number): [number, number] => {
      let a = a0;
      let b = b0;
      for (let r = 3; r >= 0; r--) {
        b = (b ^ fmix32((a + FEISTEL_KEYS[2 * r + 1]) | 0)) >>> 0;
        a = (a ^ fmix32((b + FEISTEL_KEYS[2 * r]) | 0)) >>> 0;
      }
      return [a, b];
    };
    for (const [seed, stream] of [[0, 0], [1, 2], [0xdeadbeef, 12345], [0xffffffff, 0]]) {
      const [a, b] = streamState(seed, stream);
      expect(invert(a, b)).toEqual([seed >>> 0, stream >>> 0]);
    }
  });

  it('neighbouring streams are uncorrelated (|r| < 4/√n) and differ from the plain generator', () => {
    const n = 20000;
    const streams = [new Rng(7, 0), new Rng(7, 1), new Rng(8, 0), new Rng(7)];
    const xs = streams.map((r) => Float64Array.from({ length: n }, () => r.normal()));
    const corr = (a: Float64Array, b: Float64Array): number => {
      let sab = 0;
      let saa = 0;
      let sbb = 0;
      for (let i = 0; i < n; i++) {
        sab += a[i] * b[i];
        saa += a[i] * a[i];
        sbb += b[i] * b[i];
      }
      return sab / Math.sqrt(saa * sbb);
    };
    for (let i = 0; i < xs.length; i++) {
      for (let j = i + 1; j < xs.length; j++) expect(Math.abs(corr(xs[i], xs[j]))).toBeLessThan(4 / Math.sqrt(n));
    }
  });
});

/** The sample moments of N(0, 1) draws within 4 standard errors √(Var zᵏ / n): Var z = 1, Var z² = 2, Var z³ = 15, Var z⁴ = 96. */
function expectStandardMoments(z: Float64Array): void {
  const n = z.length;
  const moment = (k: number): number => z.reduce((s, x) => s + x ** k, 0) / n;
  expect(Math.abs(moment(1))).toBeLessThan(4 * Math.sqrt(1 / n));
  expect(Math.abs(moment(2) - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  expect(Math.abs(moment(3))).toBeLessThan(4 * Math.sqrt(15 / n));
  expect(Math.abs(moment(4) - 3)).toBeLessThan(4 * Math.sqrt(96 / n));
}

describe('Rng.normal(): Marsaglia polar method', () => {
  const n = 400_000;
  const r = new Rng(2024, 3);
  const z = Float64Array.from({ length: n }, () => r.normal());

  it('has mean 0, variance 1, skewness 0 and kurtosis 3 within 4 standard errors', () => expectStandardMoments(z));

  it('matches the normal distribution function (Kolmogorov–Smirnov, 1% level)', () => {
    const sorted = Float64Array.from(z).sort();
    const Phi = (x: number): number => 0.5 * (1 + erfApprox(x / Math.SQRT2));
    let d = 0;
    for (let i = 0; i < n; i += 7) d = Math.max(d, Math.abs(Phi(sorted[i]) - (i + 0.5) / n));
    expect(d).toBeLessThan(1.63 / Math.sqrt(n));
  });

  it('returns the pair in order: the spare is the second variate of the same pair', () => {
    const a = new Rng(5, 5);
    const b = new Rng(5, 5);
    let u: number;
    let w: number;
    let s: number;
    do {
      u = 2 * b.uniform() - 1;
      w = 2 * b.uniform() - 1;
      s = u * u + w * w;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    expect(a.normal()).toBe(u * f);
    expect(a.normal()).toBe(w * f);
  });
});

describe('the ziggurat tables', () => {
  const { r, v, x, f, w } = ziggurat();
  const density = (t: number): number => Math.exp(-0.5 * t * t);

  it('r is the root of the closure condition, the published value for 256 layers', () => {
    // The values Marsaglia & Tsang (2000) give for 256 layers (v as printed there, to 14 decimals).
    expect(Math.abs(r - 3.6541528853610088)).toBeLessThan(1e-14);
    expect(Math.abs(v - 0.00492867323399)).toBeLessThan(3e-14);
  });

  it('the Gaussian tail mass is right (against Simpson quadrature)', () => {
    for (const a of [2, r, 5]) {
      const steps = 40_000;
      const h = 14 / steps;
      let s = density(a) + density(a + 14);
      for (let k = 1; k < steps; k++) s += (k % 2 === 1 ? 4 : 2) * density(a + k * h);
      expect(Math.abs(gaussianTail(a) / ((s * h) / 3) - 1)).toBeLessThan(1e-13);
    }
  });

  it('every layer, the base strip with its tail and the top layer, has area v', () => {
    expect(x).toHaveLength(257);
    expect(x[1]).toBe(r);
    expect(x[256]).toBe(0);
    expect(f[256]).toBe(1);
    expect(Math.abs(r * f[1] + gaussianTail(r) - v)).toBeLessThan(1e-16);
    expect(Math.abs(x[0] * f[1] - v)).toBeLessThan(1e-16);
    for (let k = 1; k < 256; k++) {
      expect(x[k + 1]).toBeLessThan(x[k]);
      expect(f[k]).toBe(density(x[k]));
      expect(w[k]).toBe(x[k] / 2 ** 53);
      expect(Math.abs(x[k] * (f[k + 1] - f[k]) - v), `layer ${k}`).toBeLessThan(1e-13 * v);
    }
  });

  it('accepts at once in 98.5% of attempts; the cover exceeds the area under the density by 0.7%', () => {
    let fast = 0;
    for (let k = 0; k < 256; k++) fast += x[k + 1] / x[k] / 256;
    expect(fast).toBeCloseTo(0.98508, 4);
    expect(Math.sqrt(Math.PI / 2) / (256 * v)).toBeCloseTo(0.99332, 4);
  });
});

describe('Rng.zigguratNormal(): the ziggurat method', () => {
  it('gives the recorded normals (exact: int32 arithmetic, V8 fdlibm exp and log)', () => {
    const golden: [number, number, number[]][] = [
      [1, 0, [0.12418484148212754, 0.6134856320189105, -0.9714707915462587]],
      [1, 1, [1.3165513007703133, 1.7795479451872995, -0.1048571425966228]],
      [42, 7, [-0.5520910163232425, -0.9477606158881684, 0.13209189621893422]],
      [0xffffffff, 0xffffffff, [-0.11695305258008593, 0.27776142445035884, 0.20950800985567825]],
    ];
    for (const [seed, stream, z] of golden) {
      const rng = new Rng(seed, stream);
      expect([rng.zigguratNormal(), rng.zigguratNormal(), rng.zigguratNormal()]).toEqual(z);
    }
  });

  // 4·10⁶ draws: the first 10⁶ for moments, the distribution function and serial
  // correlation; all for the bins and the tails (about 1000 beyond r).
  const n = 4_000_000;
  const rng = new Rng(2024, 4);
  const z = Float64Array.from({ length: n }, () => rng.zigguratNormal());
  const head = z.subarray(0, 1_000_000);
  const m = head.length;

  it('has mean 0, variance 1, skewness 0 and kurtosis 3 within 4 standard errors (10⁶ draws)', () => expectStandardMoments(head));

  it('matches Φ (Kolmogorov–Smirnov over all 10⁶ draws, 1% level)', () => {
    const sorted = Float64Array.from(head).sort();
    let d = 0;
    for (let i = 0; i < m; i++) {
      const p = Phi(sorted[i]);
      d = Math.max(d, p - i / m, (i + 1) / m - p);
    }
    expect(d).toBeLessThan(1.63 / Math.sqrt(m));
  });

  it('successive draws are uncorrelated, in value and in square (|r| < 4/√n)', () => {
    let a = 0;
    let b = 0;
    for (let i = 0; i + 1 < m; i++) {
      a += head[i] * head[i + 1];
      b += (head[i] ** 2 - 1) * (head[i + 1] ** 2 - 1);
    }
    expect(Math.abs(a / m)).toBeLessThan(4 / Math.sqrt(m));
    expect(Math.abs(b / (2 * m))).toBeLessThan(4 / Math.sqrt(m));
  });

  it('fills 166 bins, |z| > 4.5 included, as Φ says (χ², 0.1% level)', () => {
    // Width 0.05 on [−4, 4], then [4, 4.25], [4.25, 4.5] and beyond 4.5 on each side: every expectation is at least 13.
    const inner = Array.from({ length: 161 }, (_, k) => -4 + 0.05 * k);
    const edges = [-Infinity, -4.5, -4.25, ...inner, 4.25, 4.5, Infinity];
    const counts = new Float64Array(edges.length - 1);
    for (const x of z) {
      let k = 0;
      if (x >= -4 && x < 4) k = 3 + Math.min(159, Math.floor((x + 4) / 0.05));
      else while (x >= edges[k + 1]) k++;
      counts[k]++;
    }
    let chi2 = 0;
    for (let k = 0; k < counts.length; k++) {
      const expected = n * (Phi(edges[k + 1]) - Phi(edges[k]));
      expect(expected).toBeGreaterThan(13);
      chi2 += (counts[k] - expected) ** 2 / expected;
    }
    // Wilson–Hilferty: the 99.9% point of χ² with 165 degrees of freedom.
    const df = counts.length - 1;
    expect(chi2).toBeLessThan(df * (1 - 2 / (9 * df) + 3.09 * Math.sqrt(2 / (9 * df))) ** 3);
  });

  it.each([3.5, ziggurat().r, 4, 4.5])('|z| > %f as often as 2Φ(−c), within 4 standard errors', (c) => {
    const p = 2 * Phi(-c);
    const count = z.reduce((s, x) => s + (Math.abs(x) > c ? 1 : 0), 0);
    expect(Math.abs(count - n * p)).toBeLessThan(4 * Math.sqrt(n * p * (1 - p)));
  });

  it('zigguratTail(): 10⁵ draws of Z given Z > r, in distribution (Kolmogorov–Smirnov, 1% level) and mean (4 standard errors)', () => {
    const r = ziggurat().r;
    const tailRng = new Rng(77, 1);
    const k = 100_000;
    const excess = Float64Array.from({ length: k }, () => tailRng.zigguratTail() - r).sort();
    const tail = Phi(-r);
    expect(tailDistance(excess, r)).toBeLessThan(1.63 / Math.sqrt(k));
    // E[Z − r | Z > r] = φ(r)/Q(r) − r; Var[Z | Z > r] = 1 + rμ − μ² with μ = φ(r)/Q(r).
    const mu = Math.exp(-0.5 * r * r) / Math.sqrt(2 * Math.PI) / tail;
    const mean = excess.reduce((s, t) => s + t, 0) / k;
    expect(Math.abs(mean - (mu - r))).toBeLessThan(4 * Math.sqrt((1 + r * mu - mu * mu) / k));
  });

  it('beyond r (the tail method) |z| − r follows the conditional normal tail (Kolmogorov–Smirnov, 1% level)', () => {
    const r = ziggurat().r;
    const excess = Float64Array.from(z.filter((x) => Math.abs(x) > r), (x) => Math.abs(x) - r).sort();
    const k = excess.length;
    expect(k).toBeGreaterThan(800);
    expect(tailDistance(excess, r)).toBeLessThan(1.63 / Math.sqrt(k));
  });
});

/** Kolmogorov–Smirnov distance of sorted excesses Z − r from the law of Z − r given Z > r. */
function tailDistance(excess: Float64Array, r: number): number {
  const k = excess.length;
  const tail = Phi(-r);
  let d = 0;
  for (let i = 0; i < k; i++) {
    const p = 1 - Phi(-(r + excess[i])) / tail;
    d = Math.max(d, p - i / k, (i + 1) / k - p);
  }
  return d;
}

/** The standard normal distribution function: erfApprox's series below 3, the tail mass (checked above against quadrature) beyond. */
function Phi(x: number): number {
  const a = Math.abs(x);
  if (a === Infinity) return x > 0 ? 1 : 0;
  const upper = a < 3 ? 0.5 * (1 - erfApprox(a / Math.SQRT2)) : gaussianTail(a) / Math.sqrt(2 * Math.PI);
  return x < 0 ? upper : 1 - upper;
}

/** erf to ~1e-7 (Abramowitz & Stegun 7.1.26 is too coarse for the KS test; use a series/continued fraction split). */
function erfApprox(x: number): number {
  const a = Math.abs(x);
  let r: number;
  if (a < 3) {
    // Maclaurin series.
    let term = a;
    let sum = a;
    for (let k = 1; k < 80; k++) {
      term *= (-a * a) / k;
      sum += term / (2 * k + 1);
    }
    r = (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    r = 1 - Math.exp(-a * a) / (a * Math.sqrt(Math.PI)) * (1 - 1 / (2 * a * a) + 3 / (4 * a ** 4));
  }
  return x < 0 ? -r : r;
}
