// Adaptive Dormand–Prince 5(4) Runge–Kutta integration (Dormand & Prince 1980;
// Hairer, Nørsett & Wanner, Solving ODEs I, Sec. II.5): seven stages, the last
// evaluated at the new point and reused as the first stage of the next step
// (FSAL), local extrapolation (the 5th-order solution is propagated, the
// embedded 4th-order one only estimates the error), and the usual step-size
// control on the RMS norm of the error scaled by atol + rtol·max(|yₙ|, |yₙ₊₁|).
//
// All stage arrays are allocated once per call; a step allocates nothing
// except the copies kept when `record` is set. The last step is clipped so the
// solution is returned at exactly t1. Integration runs backwards when t1 < t0.

/** dydt ← f(t, y). Must not keep references to y or dydt (they are reused). */
export type Rhs = (t: number, y: Float64Array, dydt: Float64Array) => void;

export interface IntegrateOptions {
  /** Relative tolerance (default 1e-6). */
  rtol?: number;
  /** Absolute tolerance (default 1e-9). */
  atol?: number;
  /** First step size (its magnitude; the sign follows t1 − t0). Default: chosen from f(t0, y0) as in Hairer's HINIT. */
  h0?: number;
  /** Largest number of attempted steps, accepted plus rejected (default 100000). */
  maxSteps?: number;
  /** Keep t and y at t0 and at every accepted step (default false). */
  record?: boolean;
  /**
   * Only the first `errorComponents` components enter the error norm (default: all).
   * For sensitivity (variational) equations appended to a system whose own steps should decide.
   */
  errorComponents?: number;
}

export interface IntegrateResult {
  /** y(t1) (a fresh array). */
  y: Float64Array;
  /** Equal to t1 exactly. */
  t: number;
  /** Accepted steps. */
  steps: number;
  /** Rejected steps. */
  rejected: number;
  /** Right-hand-side evaluations. */
  evaluations: number;
  /**
   * The step size (magnitude) the controller had proposed before the last step was
   * clipped onto t1: a first step (`h0`) for a like integration, which spares the
   * start-up of the step size (0 when t0 = t1).
   */
  nextStep: number;
  /** With `record`: t0, every accepted step, ending with t1 exactly. */
  ts?: number[];
  /** With `record`: the solution at each of `ts` (fresh arrays). */
  ys?: Float64Array[];
}

/** Integration stopped before reaching t1 (step budget or step-size underflow). */
export class IntegrationError extends Error {
  override readonly name = 'IntegrationError';
  constructor(
    message: string,
    /** Where it stopped. */
    readonly t: number,
    readonly steps: number,
    readonly rejected: number,
  ) {
    super(message);
  }
}

// Dormand–Prince 5(4) coefficients.
const C2 = 1 / 5;
const C3 = 3 / 10;
const C4 = 4 / 5;
const C5 = 8 / 9;
const A21 = 1 / 5;
const A31 = 3 / 40;
const A32 = 9 / 40;
const A41 = 44 / 45;
const A42 = -56 / 15;
const A43 = 32 / 9;
const A51 = 19372 / 6561;
const A52 = -25360 / 2187;
const A53 = 64448 / 6561;
const A54 = -212 / 729;
const A61 = 9017 / 3168;
const A62 = -355 / 33;
const A63 = 46732 / 5247;
const A64 = 49 / 176;
const A65 = -5103 / 18656;
// 5th-order weights, also row 7 of A (FSAL).
const B1 = 35 / 384;
const B3 = 500 / 1113;
const B4 = 125 / 192;
const B5 = -2187 / 6784;
const B6 = 11 / 84;
// Embedded 4th-order weights.
const BH1 = 5179 / 57600;
const BH3 = 7571 / 16695;
const BH4 = 393 / 640;
const BH5 = -92097 / 339200;
const BH6 = 187 / 2100;
const BH7 = 1 / 40;
// Error weights E = B − B̂.
const E1 = B1 - BH1;
const E3 = B3 - BH3;
const E4 = B4 - BH4;
const E5 = B5 - BH5;
const E6 = B6 - BH6;
const E7 = -BH7;

/** The Butcher tableau the integrator uses (the same constants), for inspection and tests. */
export const DORMAND_PRINCE = Object.freeze({
  c: [0, C2, C3, C4, C5, 1, 1],
  a: [
    [],
    [A21],
    [A31, A32],
    [A41, A42, A43],
    [A51, A52, A53, A54],
    [A61, A62, A63, A64, A65],
    [B1, 0, B3, B4, B5, B6],
  ] as readonly (readonly number[])[],
  /** 5th-order weights (propagated). */
  b: [B1, 0, B3, B4, B5, B6, 0],
  /** Embedded 4th-order weights (error estimate only). */
  bHat: [BH1, 0, BH3, BH4, BH5, BH6, BH7],
  /** b − bHat, as used for the error estimate. */
  e: [E1, 0, E3, E4, E5, E6, E7],
});

const SAFETY = 0.9;
const MIN_FACTOR = 0.2;
const MAX_FACTOR = 5;
/** Exponent of the error in the step-size update: 1/(q + 1) with q = 4 the lower order. */
const EXPONENT = 1 / 5;

/** Integrates y' = rhs(t, y) from (t0, y0) to t1 (forwards or backwards). y0 is not modified. */
export function integrate(rhs: Rhs, t0: number, y0: Float64Array, t1: number, options: IntegrateOptions = {}): IntegrateResult {
  const rtol = options.rtol ?? 1e-6;
  const atol = options.atol ?? 1e-9;
  const maxSteps = options.maxSteps ?? 100000;
  const record = options.record ?? false;
  const n = y0.length;
  const m = options.errorComponents ?? n;
  if (!Number.isFinite(t0) || !Number.isFinite(t1)) throw new RangeError(`integrate: t0 and t1 must be finite; got ${t0}, ${t1}`);
  if (!(rtol >= 0) || !(atol >= 0) || rtol + atol === 0) {
    throw new RangeError(`integrate: need rtol ≥ 0, atol ≥ 0, not both 0; got rtol = ${rtol}, atol = ${atol}`);
  }
  if (!(maxSteps >= 1)) throw new RangeError(`integrate: maxSteps must be ≥ 1; got ${maxSteps}`);
  if (!(Number.isInteger(m) && m >= 0 && m <= n)) throw new RangeError(`integrate: errorComponents must be an integer in 0..${n}; got ${m}`);
  if (options.h0 !== undefined && !(Number.isFinite(options.h0) && options.h0 !== 0)) {
    throw new RangeError(`integrate: h0 must be finite and non-zero; got ${options.h0}`);
  }
  return dormandPrince(rhs, t0, y0, t1, rtol, atol, maxSteps, record, m, options.h0);
}

/**
 * The integration itself, on plain arguments: callers pass options objects of
 * several shapes, which in here would make V8 discard its optimised code (a map
 * check on `options`) in the middle of a polish's thousands of calls.
 */
function dormandPrince(rhs: Rhs, t0: number, y0: Float64Array, t1: number, rtol: number, atol: number, maxSteps: number, record: boolean, m: number, h0: number | undefined): IntegrateResult {
  const n = y0.length;
  let y = Float64Array.from(y0);
  const ts: number[] | undefined = record ? [t0] : undefined;
  const ys: Float64Array[] | undefined = record ? [Float64Array.from(y0)] : undefined;
  let proposed = 0;
  const done = (t: number, steps: number, rejected: number, evaluations: number): IntegrateResult => ({
    y: Float64Array.from(y),
    t,
    steps,
    rejected,
    evaluations,
    nextStep: Math.abs(proposed),
    ...(record ? { ts, ys } : {}),
  });
  if (t0 === t1) return done(t1, 0, 0, 0);

  const dir = t1 > t0 ? 1 : -1;
  let k1 = new Float64Array(n);
  const k2 = new Float64Array(n);
  const k3 = new Float64Array(n);
  const k4 = new Float64Array(n);
  const k5 = new Float64Array(n);
  const k6 = new Float64Array(n);
  let k7 = new Float64Array(n);
  const yt = new Float64Array(n);
  let yNew = new Float64Array(n);

  rhs(t0, y, k1);
  let evaluations = 1;
  const span = Math.abs(t1 - t0);
  let h: number;
  if (h0 !== undefined) {
    h = Math.min(Math.abs(h0), span);
  } else {
    h = initialStep(rhs, t0, y, k1, dir, span, rtol, atol, m, yt, k2);
    evaluations++;
  }
  h *= dir;

  let t = t0;
  let steps = 0;
  let rejected = 0;
  let lastRejected = false;
  for (;;) {
    if (steps + rejected >= maxSteps) {
      throw new IntegrationError(
        `integrate: maxSteps (${maxSteps}) exceeded at t = ${t} before reaching t1 = ${t1} ` +
          `(${steps} accepted, ${rejected} rejected steps, last h = ${h}); raise maxSteps or loosen rtol/atol`,
        t,
        steps,
        rejected,
      );
    }
    // Clip the last step onto t1; stretch by up to 1% rather than leave a sliver.
    let last = false;
    if (dir * (t + 1.01 * h - t1) >= 0) {
      proposed = h;
      h = t1 - t;
      last = true;
    }
    if (Math.abs(h) <= 16 * Number.EPSILON * Math.max(Math.abs(t), Number.MIN_VALUE)) {
      throw new IntegrationError(
        `integrate: step size underflow at t = ${t} (h = ${h}) before reaching t1 = ${t1}; ` +
          'the solution may blow up or the right-hand side may be non-finite there',
        t,
        steps,
        rejected,
      );
    }

    stage2(yt, y, h, k1);
    rhs(t + C2 * h, yt, k2);
    stage3(yt, y, h, k1, k2);
    rhs(t + C3 * h, yt, k3);
    stage4(yt, y, h, k1, k2, k3);
    rhs(t + C4 * h, yt, k4);
    stage5(yt, y, h, k1, k2, k3, k4);
    rhs(t + C5 * h, yt, k5);
    stage6(yt, y, h, k1, k2, k3, k4, k5);
    const tNew = last ? t1 : t + h;
    rhs(tNew, yt, k6);
    fifthOrder(yNew, y, h, k1, k3, k4, k5, k6);
    rhs(tNew, yNew, k7);
    evaluations += 6;

    let err = m === 0 ? 0 : Math.sqrt(errorSum(m, h, k1, k3, k4, k5, k6, k7, y, yNew, atol, rtol) / m);
    // A non-finite solution counts as a failed step: shrink as far as allowed.
    if (!Number.isFinite(err)) err = Infinity;
    if (err <= 1) {
      for (let i = 0; i < m; i++) if (!Number.isFinite(yNew[i])) err = Infinity;
    }

    if (err <= 1) {
      steps++;
      t = tNew;
      [y, yNew] = [yNew, y];
      [k1, k7] = [k7, k1];
      if (record) {
        ts!.push(t);
        ys!.push(Float64Array.from(y));
      }
      if (last) return done(t1, steps, rejected, evaluations);
      let factor = err === 0 ? MAX_FACTOR : SAFETY * Math.pow(err, -EXPONENT);
      factor = Math.min(lastRejected ? 1 : MAX_FACTOR, Math.max(MIN_FACTOR, factor));
      h *= factor;
      lastRejected = false;
    } else {
      rejected++;
      const factor = err === Infinity ? MIN_FACTOR : Math.max(MIN_FACTOR, SAFETY * Math.pow(err, -EXPONENT));
      h *= Math.min(1, factor);
      lastRejected = true;
    }
  }
}

// The stages' linear combinations, each its own small function: called every step, they are
// optimised by V8 within the first few hundred steps and then run without allocating, while the
// step loop around them (rarely-taken branches, calls to several right-hand sides) is optimised
// late and de-optimised more than once in a polish of a few thousand short integrations. The
// expressions are those of the tableau in its own order, so the results are the same to the bit.
function stage2(yt: Float64Array, y: Float64Array, h: number, k1: Float64Array): void {
  for (let i = 0; i < yt.length; i++) yt[i] = y[i] + h * A21 * k1[i];
}
function stage3(yt: Float64Array, y: Float64Array, h: number, k1: Float64Array, k2: Float64Array): void {
  for (let i = 0; i < yt.length; i++) yt[i] = y[i] + h * (A31 * k1[i] + A32 * k2[i]);
}
function stage4(yt: Float64Array, y: Float64Array, h: number, k1: Float64Array, k2: Float64Array, k3: Float64Array): void {
  for (let i = 0; i < yt.length; i++) yt[i] = y[i] + h * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
}
function stage5(yt: Float64Array, y: Float64Array, h: number, k1: Float64Array, k2: Float64Array, k3: Float64Array, k4: Float64Array): void {
  for (let i = 0; i < yt.length; i++) yt[i] = y[i] + h * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
}
function stage6(yt: Float64Array, y: Float64Array, h: number, k1: Float64Array, k2: Float64Array, k3: Float64Array, k4: Float64Array, k5: Float64Array): void {
  for (let i = 0; i < yt.length; i++) yt[i] = y[i] + h * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
}
function fifthOrder(yNew: Float64Array, y: Float64Array, h: number, k1: Float64Array, k3: Float64Array, k4: Float64Array, k5: Float64Array, k6: Float64Array): void {
  for (let i = 0; i < yNew.length; i++) yNew[i] = y[i] + h * (B1 * k1[i] + B3 * k3[i] + B4 * k4[i] + B5 * k5[i] + B6 * k6[i]);
}
/** Σ (eᵢ/scᵢ)² over the first m components. */
function errorSum(
  m: number,
  h: number,
  k1: Float64Array,
  k3: Float64Array,
  k4: Float64Array,
  k5: Float64Array,
  k6: Float64Array,
  k7: Float64Array,
  y: Float64Array,
  yNew: Float64Array,
  atol: number,
  rtol: number,
): number {
  let sum = 0;
  for (let i = 0; i < m; i++) {
    const e = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
    const sc = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(yNew[i]));
    sum += (e / sc) * (e / sc);
  }
  return sum;
}

/**
 * First step size (Hairer, Nørsett & Wanner, II.4, "HINIT"): makes the explicit
 * Euler increment and the estimated second derivative small relative to the
 * tolerance. Uses one extra right-hand-side evaluation; yt and f1 are scratch.
 */
function initialStep(
  rhs: Rhs,
  t0: number,
  y0: Float64Array,
  f0: Float64Array,
  dir: number,
  span: number,
  rtol: number,
  atol: number,
  m: number,
  yt: Float64Array,
  f1: Float64Array,
): number {
  const n = y0.length;
  if (m === 0) return span;
  let d0 = 0;
  let d1 = 0;
  for (let i = 0; i < m; i++) {
    const sc = atol + rtol * Math.abs(y0[i]);
    d0 += (y0[i] / sc) ** 2;
    d1 += (f0[i] / sc) ** 2;
  }
  d0 = Math.sqrt(d0 / m);
  d1 = Math.sqrt(d1 / m);
  let h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * (d0 / d1);
  if (!Number.isFinite(h0)) h0 = 1e-6;
  h0 = Math.min(h0, span);
  for (let i = 0; i < n; i++) yt[i] = y0[i] + dir * h0 * f0[i];
  rhs(t0 + dir * h0, yt, f1);
  let d2 = 0;
  for (let i = 0; i < m; i++) {
    const sc = atol + rtol * Math.abs(y0[i]);
    d2 += ((f1[i] - f0[i]) / sc) ** 2;
  }
  d2 = Math.sqrt(d2 / m) / h0;
  const big = Math.max(d1, d2);
  const h1 = !Number.isFinite(big) ? h0 * 1e-3 : big <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / big, 1 / 5);
  return Math.min(100 * h0, h1, span);
}
