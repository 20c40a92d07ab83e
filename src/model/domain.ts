// State domains: each state variable lives in an open interval (lo, hi), bounds
// finite or infinite (GBM: x in (0, ∞)). Sampling for checks (D positive
// definite, symmetry conditions) moves the default sampling box inside the
// domain; paths, start points and fixed points must lie in it.

/** An open interval (lo, hi); lo may be −∞ and hi +∞. */
export type Interval = readonly [number, number];

export const WHOLE_LINE: Interval = [-Infinity, Infinity];

/**
 * The interval [−half, half] moved inside the open interval `domain`: the
 * overlap when it is wide enough, else a window of width 2·half at the finite
 * bound. Bounds that are the domain's own are inset by 1 % of the width, so
 * samples never land on them (log x, 1/x at x = 0).
 */
export function samplingInterval(domain: Interval, half: number): [number, number] {
  const [a, b] = domain;
  let lo = Math.max(a, -half);
  let hi = Math.min(b, half);
  if (!(hi - lo >= half)) {
    if (Number.isFinite(a) && Number.isFinite(b)) [lo, hi] = [a, b];
    else if (Number.isFinite(a)) [lo, hi] = [a, a + 2 * half];
    else [lo, hi] = [b - 2 * half, b];
  }
  const inset = 0.01 * (hi - lo);
  return [lo === a ? lo + inset : lo, hi === b ? hi - inset : hi];
}

/** A representative point of the domain: 0 when inside, else the middle of its sampling interval. */
export function typicalValue(domain: Interval, half: number): number {
  if (domain[0] < 0 && 0 < domain[1]) return 0;
  const [lo, hi] = samplingInterval(domain, half);
  return 0.5 * (lo + hi);
}

/** Whether x lies strictly inside the interval. */
export function inside(domain: Interval, x: number): boolean {
  return x > domain[0] && x < domain[1];
}

/** The interval as people write it: (0, ∞). */
export function formatInterval(domain: Interval): string {
  const bound = (v: number): string => (v === Infinity ? '∞' : v === -Infinity ? '−∞' : String(v));
  return `(${bound(domain[0])}, ${bound(domain[1])})`;
}
