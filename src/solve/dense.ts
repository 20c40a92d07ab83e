// Small dense linear solves (N×N, N up to a few dozen) by Gaussian elimination
// with partial pivoting; for per-node work where ml-matrix objects would allocate more.

/** Solves A y = b for the row-major n×n matrix A (A and b are not modified); undefined if A is singular. */
export function solveDense(A: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array | undefined {
  const a = Float64Array.from(A);
  const x = Float64Array.from(b);
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(a[i]));
  if (!(scale > 0) || !Number.isFinite(scale)) return undefined;
  for (let k = 0; k < n; k++) {
    let piv = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i * n + k]) > Math.abs(a[piv * n + k])) piv = i;
    if (!(Math.abs(a[piv * n + k]) > 1e-14 * scale)) return undefined;
    if (piv !== k) {
      for (let j = 0; j < n; j++) [a[k * n + j], a[piv * n + j]] = [a[piv * n + j], a[k * n + j]];
      [x[k], x[piv]] = [x[piv], x[k]];
    }
    for (let i = k + 1; i < n; i++) {
      const f = a[i * n + k] / a[k * n + k];
      if (f === 0) continue;
      for (let j = k; j < n; j++) a[i * n + j] -= f * a[k * n + j];
      x[i] -= f * x[k];
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    let s = x[k];
    for (let j = k + 1; j < n; j++) s -= a[k * n + j] * x[j];
    x[k] = s / a[k * n + k];
  }
  return x;
}
