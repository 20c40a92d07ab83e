// Symmetries that are linear combinations of generators that are each broken:
// δL is linear in the generator, so Σ cᵢ vᵢ is an exact symmetry exactly when
// Σ cᵢ δᵢL ≡ 0. The rotating trap f = −R(ωt) K R(ωt)ᵀ x breaks time translation
// and rotation alike, but ∂t + ω(x ∂y − y ∂x) (time shift in the rotating frame)
// is exact; a trap moving at speed v gives ∂t + v ∂x. This reaches models whose
// determining equations have t-dependent coefficients, which discover.ts does
// not solve: the coefficients cᵢ span the null space of δᵢL sampled at seeded
// points, rounded to rationals; the caller verifies each combination (detect).

import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { compileScalar } from '../expr/evaluate.ts';
import { type Expr, add, mul, num } from '../expr/expr.ts';
import { tidy } from '../expr/normal.ts';
import { toText } from '../expr/print.ts';
import { Rational } from '../expr/rational.ts';
import type { LagrangianResult } from '../lagrangian/lagrangian.ts';
import { samplingInterval } from '../model/domain.ts';
import { velocityName } from '../model/types.ts';
import { Rng } from '../random/rng.ts';
import { rationalize } from './linear-ode.ts';
import type { Generator } from './rules.ts';

export interface BrokenGenerator {
  readonly generator: Generator;
  /** δL of the generator (from its verdict). */
  readonly variation: Expr;
  readonly description: string;
}

/** Largest number of broken generators combined (the null space is found from 3× as many samples). */
const MAX_COMBINED = 40;

/** Candidate combinations (a basis of the sampled null space, in reduced echelon form), with a description. */
export function combineBroken(lagr: LagrangianResult, broken: readonly BrokenGenerator[]): Array<{ generator: Generator; description: string }> {
  const count = broken.length;
  if (count < 2 || count > MAX_COMBINED) return [];
  const { state, time, domain, params } = lagr.model;
  const names = [...state, ...state.map(velocityName), 't', ...params.map((p) => p.name)];
  const index = new Map(names.map((s, i) => [s, i]));
  const fns = broken.map((b) => compileScalar(b.variation, (s) => index.get(s)));
  const rng = new Rng(0xc0b1);
  const rows: number[][] = [];
  for (let attempt = 0; rows.length < 3 * count + 8 && attempt < 30 * count + 80; attempt++) {
    const point = [
      ...state.map((_, i) => rng.between(...samplingInterval(domain[i], 1.5))),
      ...state.map(() => rng.between(-1.5, 1.5)),
      rng.between(...time),
      ...params.map((p) => p.value),
    ];
    const row = fns.map((f) => f(point));
    if (row.every(Number.isFinite)) rows.push(row);
  }
  if (rows.length < count + 2) return [];
  // Columns scaled to unit norm, so a generator with large δL does not hide the others.
  const norms = broken.map((_, j) => Math.hypot(...rows.map((r) => r[j])) || 1);
  const A = new Matrix(rows.map((r) => r.map((v, j) => v / norms[j])));
  const svd = new SingularValueDecomposition(A, { autoTranspose: true });
  const sigma = svd.diagonal;
  const top = sigma[0] ?? 0;
  if (!(top > 0)) return [];
  const V = svd.rightSingularVectors;
  const nullVectors: number[][] = [];
  for (let j = 0; j < count; j++) {
    if ((sigma[j] ?? 0) <= 1e-9 * top) nullVectors.push(Array.from({ length: count }, (_, i) => V.get(i, j) / norms[i]));
  }
  return echelon(nullVectors).flatMap((c) => {
    const coefficients = c.map((v) => rationalize(v) ?? Rational.fromNumber(v));
    const terms = coefficients.flatMap((q, i) => (q.sign() === 0 ? [] : [{ q, b: broken[i] }]));
    if (terms.length < 2) return [];
    const scaled = (pick: (g: Generator) => Expr): Expr => tidy(add(...terms.map(({ q, b }) => mul(num(q), pick(b.generator)))));
    const generator: Generator = { dt: scaled((g) => g.dt), dx: state.map((_, i) => scaled((g) => g.dx[i])) };
    const description = terms
      .map(({ q, b }, k) => {
        const magnitude = q.abs();
        const coefficient = magnitude.isOne() ? '' : `${toText(num(magnitude))} × `;
        return `${k === 0 ? (q.sign() < 0 ? '−' : '') : q.sign() < 0 ? ' − ' : ' + '}${coefficient}${b.description}`;
      })
      .join('');
    return [{ generator, description }];
  });
}

/** Reduced row echelon form of the vectors (as rows), pivots scaled to 1, rounding-level entries zeroed. */
function echelon(vectors: number[][]): number[][] {
  const rows = vectors.map((v) => [...v]);
  const width = rows[0]?.length ?? 0;
  let r = 0;
  for (let c = 0; c < width && r < rows.length; c++) {
    let pivot = r;
    for (let i = r + 1; i < rows.length; i++) if (Math.abs(rows[i][c]) > Math.abs(rows[pivot][c])) pivot = i;
    if (Math.abs(rows[pivot][c]) < 1e-8) continue;
    [rows[r], rows[pivot]] = [rows[pivot], rows[r]];
    const p = rows[r][c];
    rows[r] = rows[r].map((v) => v / p);
    for (let i = 0; i < rows.length; i++) {
      if (i === r) continue;
      const f = rows[i][c];
      if (f !== 0) rows[i] = rows[i].map((v, j) => v - f * rows[r][j]);
    }
    r++;
  }
  return rows.slice(0, r).map((row) => row.map((v) => (Math.abs(v) < 1e-10 ? 0 : v)));
}
