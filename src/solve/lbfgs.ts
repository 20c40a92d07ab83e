// Limited-memory BFGS with an Armijo backtracking line search: the first-order
// fallback for the action minimisation (Nocedal & Wright, Alg. 7.4/7.5).

export interface LbfgsOptions {
  /** Stop when max |gradient| is below this. */
  readonly tolerance: number;
  readonly maxIterations: number;
  /** Number of stored correction pairs (default 10). */
  readonly memory?: number;
}

const STALL_LIMIT = 200;

/** Minimises f from x0; `fg(x, grad)` returns f(x) and writes its gradient. */
export function lbfgs(
  fg: (x: Float64Array, grad: Float64Array) => number,
  x0: Float64Array,
  options: LbfgsOptions,
): { x: Float64Array; value: number; iterations: number; gradientNorm: number } {
  const dim = x0.length;
  const mem = options.memory ?? 10;
  const x = x0.slice();
  const g = new Float64Array(dim);
  const xNew = new Float64Array(dim);
  const gNew = new Float64Array(dim);
  const d = new Float64Array(dim);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(mem);
  let f = fg(x, g);
  let it = 0;
  let stalled = 0;
  let bestGradient = Infinity;
  for (; it < options.maxIterations; it++) {
    if (maxAbs(g) <= options.tolerance) break;
    // Two-loop recursion: d = −H g.
    d.set(g);
    for (let i = S.length - 1; i >= 0; i--) {
      alpha[i] = rho[i] * dot(S[i], d);
      axpy(-alpha[i], Y[i], d);
    }
    const gamma = S.length > 0 ? dot(S[S.length - 1], Y[Y.length - 1]) / dot(Y[Y.length - 1], Y[Y.length - 1]) : 1 / Math.max(maxAbs(g), 1);
    for (let i = 0; i < dim; i++) d[i] *= gamma;
    for (let i = 0; i < S.length; i++) axpy(alpha[i] - rho[i] * dot(Y[i], d), S[i], d);
    for (let i = 0; i < dim; i++) d[i] = -d[i];
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction: restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < dim; i++) d[i] = -g[i] / Math.max(maxAbs(g), 1);
      slope = dot(g, d);
    }
    let step = 1;
    let decreased = false;
    let fNew = NaN;
    for (let k = 0; k < 50; k++, step *= 0.5) {
      for (let i = 0; i < dim; i++) xNew[i] = x[i] + step * d[i];
      fNew = fg(xNew, gNew);
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * step * slope) {
        decreased = true;
        break;
      }
    }
    if (!decreased) break; // no sufficient decrease at this precision: further iterations would not move
    // Stalled: for STALL_LIMIT iterations in a row, f moved only at its rounding level and
    // the gradient did not improve (near the minimum the decrease of f hides in rounding,
    // so the gradient is what still shows progress).
    const gNorm = maxAbs(gNew);
    const roundingStep = f - fNew <= 1e-14 * Math.max(Math.abs(f), 1);
    const gradientImproved = gNorm < bestGradient * 0.999;
    if (gradientImproved) bestGradient = gNorm;
    if (!roundingStep || gradientImproved) stalled = 0;
    else if (++stalled >= STALL_LIMIT) {
      x.set(xNew);
      g.set(gNew);
      f = fNew;
      break;
    }
    const s = new Float64Array(dim);
    const y = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-300) {
      if (S.length === mem) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    x.set(xNew);
    g.set(gNew);
    f = fNew;
  }
  return { x, value: f, iterations: it, gradientNorm: maxAbs(g) };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += a * x[i];
}

function maxAbs(a: Float64Array): number {
  let r = 0;
  for (let i = 0; i < a.length; i++) r = Math.max(r, Math.abs(a[i]));
  return r;
}
