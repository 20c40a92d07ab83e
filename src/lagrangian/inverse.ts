// Inverse of the diffusion tensor: by adjugate and determinant for small
// symbolic matrices (the formulas stay readable and exact), by exact
// Gauss–Jordan elimination for larger constant ones.

import { type Expr, ZERO, add, mul, num, pow, substitute } from '../expr/expr.ts';
import { isZeroSymbolic, tidy } from '../expr/normal.ts';

/**
 * D⁻¹ for a symmetric positive definite D. With `values`, symbols are first
 * replaced (used for large constant matrices, where adjugates would explode).
 */
export function invertMatrix(matrix: readonly (readonly Expr[])[], values?: ReadonlyMap<string, Expr>): Expr[][] {
  const a = values ? matrix.map((row) => row.map((e) => substitute(e, values))) : matrix;
  return values ? gaussJordan(a) : adjugateInverse(a);
}

function adjugateInverse(a: readonly (readonly Expr[])[]): Expr[][] {
  const n = a.length;
  const det = tidy(determinant(a));
  const invDet = pow(det, num(-1));
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => {
      // (A⁻¹)ᵢⱼ = (−1)^(i+j) Mⱼᵢ / det A.
      const sign = (i + j) % 2 === 0 ? 1 : -1;
      return tidy(mul(num(sign), determinant(minor(a, j, i)), invDet));
    }),
  );
}

/** Laplace expansion along the first row; fine for the N <= 4 it is used for. */
function determinant(a: readonly (readonly Expr[])[]): Expr {
  const n = a.length;
  if (n === 1) return a[0][0];
  if (n === 2) return add(mul(a[0][0], a[1][1]), mul(num(-1), a[0][1], a[1][0]));
  const terms: Expr[] = [];
  for (let j = 0; j < n; j++) {
    if (a[0][j] === ZERO) continue;
    terms.push(mul(num(j % 2 === 0 ? 1 : -1), a[0][j], determinant(minor(a, 0, j))));
  }
  return add(...terms);
}

function minor(a: readonly (readonly Expr[])[], row: number, col: number): Expr[][] {
  return a.filter((_, i) => i !== row).map((r) => r.filter((_, j) => j !== col));
}

function gaussJordan(a0: readonly (readonly Expr[])[]): Expr[][] {
  const n = a0.length;
  const a = a0.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => num(i === j ? 1 : 0))]);
  for (let k = 0; k < n; k++) {
    // D is positive definite, so a non-zero pivot exists in column k at or below row k.
    const p = a.findIndex((row, i) => i >= k && !isZeroSymbolic(row[k]));
    [a[k], a[p]] = [a[p], a[k]];
    const inv = pow(a[k][k], num(-1));
    a[k] = a[k].map((e) => tidy(mul(e, inv)));
    for (let i = 0; i < n; i++) {
      if (i === k || isZeroSymbolic(a[i][k])) continue;
      const factor = a[i][k];
      a[i] = a[i].map((e, j) => tidy(add(e, mul(num(-1), factor, a[k][j]))));
    }
  }
  return a.map((row) => row.slice(n));
}
