// Small dense linear solves (N×N, N up to a few dozen) by Gaussian elimination
// with partial pivoting; for per-node work where ml-matrix objects would allocate more.

/** Solves A y = b for the row-major n×n matrix A; returns y (A and b are not modified). */
export function solveDense(A: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  const a = Float64Array.from(A as ArrayLike<number>);
  const y = Float64Array.from(b as ArrayLike<number>);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]) > Math.abs(a[p * n + c])) p = r;
    if (p !== c) {
      for (let k = 0; k < n; k++) [a[c * n + k], a[p * n + k]] = [a[p * n + k], a[c * n + k]];
      [y[c], y[p]] = [y[p], y[c]];
    }
    const pivot = a[c * n + c];
    for (let r = c + 1; r < n; r++) {
      const factor = a[r * n + c] / pivot;
      if (factor === 0) continue;
      for (let k = c; k < n; k++) a[r * n + k] -= factor * a[c * n + k];
      y[r] -= factor * y[c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = y[r];
    for (let k = r + 1; k < n; k++) s -= a[r * n + k] * y[k];
    y[r] = s / a[r * n + r];
  }
  return y;
}
