// Kernels that keep the structure of L = ¼(ẋ−f)ᵀD⁻¹(ẋ−f) for a constant D
// instead of differentiating the expanded L (issue 13, item 2).
//
// The drift is split once into f(x, t) = C·a(x, t) + c: a numeric matrix C
// (sparse rows) times "atoms" a_k, the distinct non-numeric terms of the
// components (x_j and tanh(x_j) for f = −x + W tanh(x)). Only the atoms are
// compiled, with their sparse gradients and Hessians; everything else is
// loops over Float64Arrays. With r = ẋ − f, q = ½D⁻¹r and w = Cᵀq:
//   L = ½ r·q,  ∂L/∂ẋ = q,  ∂L/∂x = −J_fᵀq = −Σ_k w_k ∇a_k,
//   ∂²L/∂ẋ² = ½D⁻¹,  ∂²L/∂x∂ẋ = −½J_fᵀD⁻¹,  ∂²L/∂x² = ½J_fᵀD⁻¹J_f − Σ_k w_k ∇²a_k,
// and for H = pᵀDp + p·f: ∂H/∂x = J_fᵀp, ∂H/∂p = 2Dp + f, ∂²H/∂x² = Σ_k (Cᵀp)_k ∇²a_k.
// A dense W costs O(N²) per evaluation and the generated code stays O(N) lines,
// where the expanded L has O(N³) terms. J_fᵀD⁻¹J_f = ∇aᵀ(CᵀD⁻¹C)∇a costs
// O(nnz(∇a)²) with CᵀD⁻¹C formed once when the atoms' gradients are sparse
// (one variable per atom, as for elementwise nonlinearities); O(N³) otherwise.

import { type Expr, ONE, freeSymbols, splitCoefficient } from '../expr/expr.ts';
import { diff } from '../expr/diff.ts';
import { type CompiledKernel, compileKernel } from './compile.ts';

/** f = C·a + c with C as compressed sparse rows. */
export interface AtomicDrift {
  readonly n: number;
  readonly atoms: readonly Expr[];
  readonly rowStart: Int32Array;
  readonly column: Int32Array;
  readonly coefficient: Float64Array;
  readonly constant: Float64Array;
  /** a(x, t) over inputs [x_1..x_N, t]. */
  readonly atomKernel: CompiledKernel;
  /** Non-zero ∂a_k/∂x_j: the k and j of each output of gradientKernel. */
  readonly gradientAtom: Int32Array;
  readonly gradientVariable: Int32Array;
  readonly gradientKernel: CompiledKernel;
  /** Non-zero ∂²a_k/∂x_i∂x_j for i ≤ j: k, i, j of each output of hessianKernel. */
  readonly hessianAtom: Int32Array;
  readonly hessianRow: Int32Array;
  readonly hessianColumn: Int32Array;
  readonly hessianKernel: CompiledKernel;
}

/**
 * Splits f (parameters already substituted) into C·a + c. The atoms are the
 * non-numeric parts of the components' terms, shared between components.
 */
export function atomicDrift(f: readonly Expr[], state: readonly string[]): AtomicDrift {
  const n = state.length;
  const atomIndex = new Map<string, number>();
  const atoms: Expr[] = [];
  const rowStart = new Int32Array(n + 1);
  const column: number[] = [];
  const coefficient: number[] = [];
  const constant = new Float64Array(n);
  f.forEach((fi, i) => {
    const row = new Map<number, number>();
    for (const term of fi.kind === 'add' ? fi.terms : [fi]) {
      const [c, rest] = splitCoefficient(term);
      if (rest === ONE || rest.kind === 'num') {
        constant[i] += c.toNumber() * (rest.kind === 'num' ? rest.value.toNumber() : 1);
        continue;
      }
      let k = atomIndex.get(rest.key);
      if (k === undefined) {
        k = atoms.length;
        atomIndex.set(rest.key, k);
        atoms.push(rest);
      }
      row.set(k, (row.get(k) ?? 0) + c.toNumber());
    }
    for (const [k, c] of row) {
      column.push(k);
      coefficient.push(c);
    }
    rowStart[i + 1] = column.length;
  });

  const slot = new Map(state.map((name, j) => [name, j]));
  const gradient: { k: number; j: number; e: Expr }[] = [];
  const hessian: { k: number; i: number; j: number; e: Expr }[] = [];
  atoms.forEach((a, k) => {
    const vars = [...freeSymbols(a)].filter((s) => slot.has(s)).sort((u, v) => (slot.get(u) as number) - (slot.get(v) as number));
    const first = vars.map((v) => diff(a, v));
    vars.forEach((v, p) => {
      if (!isZero(first[p])) gradient.push({ k, j: slot.get(v) as number, e: first[p] });
      for (let q = p; q < vars.length; q++) {
        const second = diff(first[p], vars[q]);
        if (!isZero(second)) hessian.push({ k, i: slot.get(v) as number, j: slot.get(vars[q]) as number, e: second });
      }
    });
  });
  const inputs = [...state, 't'];
  return {
    n,
    atoms,
    rowStart,
    column: Int32Array.from(column),
    coefficient: Float64Array.from(coefficient),
    constant,
    atomKernel: compileKernel(atoms, inputs),
    gradientAtom: Int32Array.from(gradient, (g) => g.k),
    gradientVariable: Int32Array.from(gradient, (g) => g.j),
    gradientKernel: compileKernel(gradient.map((g) => g.e), inputs),
    hessianAtom: Int32Array.from(hessian, (h) => h.k),
    hessianRow: Int32Array.from(hessian, (h) => h.i),
    hessianColumn: Int32Array.from(hessian, (h) => h.j),
    hessianKernel: compileKernel(hessian.map((h) => h.e), inputs),
  };
}

const isZero = (e: Expr): boolean => e.kind === 'num' && e.value.isZero();

/** The kernels of compileModel (see ModelKernels for their layouts) plus ∇²H, from the atomic drift and a constant D. */
export type StructuredKernels = Readonly<
  Record<
    | 'drift'
    | 'driftJacobian'
    | 'diffusion'
    | 'lagrangian'
    | 'lagrangianGradient'
    | 'lagrangianHessian'
    | 'hamiltonian'
    | 'hamiltonianGradient'
    | 'hamiltonianHessian',
    CompiledKernel
  >
>;

/**
 * Structured kernels for L = ¼(ẋ−f)ᵀD⁻¹(ẋ−f) with D and D⁻¹ given as numbers
 * (row-major N×N). Input layouts as in ModelKernels: [x, t], [x, ẋ, t], [x, p, t].
 * Each kernel owns its workspaces, so kernels are not re-entrant (like the
 * generated ones, they are called from one thread).
 */
export function structuredKernels(
  drift: AtomicDrift,
  names: { state: readonly string[]; velocities: readonly string[]; momenta: readonly string[] },
  D: Float64Array,
  Dinv: Float64Array,
): StructuredKernels {
  const { n } = drift;
  const K = drift.atoms.length;
  const stateIn = [...names.state, 't'];
  const lagrIn = [...names.state, ...names.velocities, 't'];
  const hamIn = [...names.state, ...names.momenta, 't'];
  const diagonal = isDiagonal(Dinv, n);
  const byAtom = gradientsByAtom(drift);

  const at = new Float64Array(n + 1); // [x, t] for the atom kernels
  const a = new Float64Array(K);
  const grad = new Float64Array(drift.gradientKernel.outputs);
  const hess = new Float64Array(drift.hessianKernel.outputs);
  const f = new Float64Array(n);
  const r = new Float64Array(n);
  const q = new Float64Array(n);
  const w = new Float64Array(K);
  const J = new Float64Array(n * n);
  const MJ = new Float64Array(n * n);
  const atomGram = sparseAtomGradients(drift) ? halfAtomGram(drift, Dinv, diagonal) : undefined;

  /** Copies x and t out of an input laid out as [x, (N more), t] or [x, t]. */
  const load = (v: Float64Array): void => {
    for (let j = 0; j < n; j++) at[j] = v[j];
    at[n] = v[v.length - 1];
  };
  const evalDrift = (): void => {
    drift.atomKernel.run(at, a);
    const { rowStart, column, coefficient, constant } = drift;
    for (let i = 0; i < n; i++) {
      let s = constant[i];
      for (let e = rowStart[i]; e < rowStart[i + 1]; e++) s += coefficient[e] * a[column[e]];
      f[i] = s;
    }
  };
  /** w = Cᵀ y. */
  const transposeProduct = (y: Float64Array): void => {
    w.fill(0);
    const { rowStart, column, coefficient } = drift;
    for (let i = 0; i < n; i++) {
      const yi = y[i];
      if (yi === 0) continue;
      for (let e = rowStart[i]; e < rowStart[i + 1]; e++) w[column[e]] += coefficient[e] * yi;
    }
  };
  /** out[off + j] += sign · Σ_k w_k ∂a_k/∂x_j, i.e. ±J_fᵀy after transposeProduct(y). */
  const addAtomGradient = (out: Float64Array, off: number, sign: number): void => {
    drift.gradientKernel.run(at, grad);
    const { gradientAtom, gradientVariable } = drift;
    for (let e = 0; e < grad.length; e++) out[off + gradientVariable[e]] += sign * w[gradientAtom[e]] * grad[e];
  };
  /** J = C·∇a (row-major N×N). */
  const evalJacobian = (): void => {
    drift.gradientKernel.run(at, grad);
    J.fill(0);
    const { rowStart, column, coefficient } = drift;
    for (let i = 0; i < n; i++) {
      for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
        const k = column[e];
        const c = coefficient[e];
        for (let g = byAtom.start[k]; g < byAtom.start[k + 1]; g++) {
          const idx = byAtom.entry[g];
          J[i * n + drift.gradientVariable[idx]] += c * grad[idx];
        }
      }
    }
  };
  /** out[off + i·stride + j] += sign · Σ_k w_k ∂²a_k/∂x_i∂x_j (both triangles). */
  const addAtomHessian = (out: Float64Array, off: number, stride: number, sign: number): void => {
    drift.hessianKernel.run(at, hess);
    const { hessianAtom, hessianRow, hessianColumn } = drift;
    for (let e = 0; e < hess.length; e++) {
      const v = sign * w[hessianAtom[e]] * hess[e];
      const i = hessianRow[e];
      const j = hessianColumn[e];
      out[off + i * stride + j] += v;
      if (i !== j) out[off + j * stride + i] += v;
    }
  };
  /** y = M u for a row-major N×N M. */
  const apply = (M: Float64Array, u: Float64Array, y: Float64Array, scale: number): void => {
    for (let i = 0; i < n; i++) {
      if (diagonal) {
        y[i] = scale * M[i * n + i] * u[i];
        continue;
      }
      let s = 0;
      for (let j = 0; j < n; j++) s += M[i * n + j] * u[j];
      y[i] = scale * s;
    }
  };
  /** r = ẋ − f and q = ½D⁻¹r from an input [x, ẋ, t]. */
  const residual = (v: Float64Array): void => {
    load(v);
    evalDrift();
    for (let i = 0; i < n; i++) r[i] = v[n + i] - f[i];
    apply(Dinv, r, q, 0.5);
  };
  /** x and t, and p into r, from an input [x, p, t]. */
  const loadMomenta = (v: Float64Array): void => {
    load(v);
    for (let i = 0; i < n; i++) r[i] = v[n + i];
  };
  /** MJ = D⁻¹J. */
  const weightedJacobian = (): void => {
    if (diagonal) {
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) MJ[i * n + j] = Dinv[i * n + i] * J[i * n + j];
      return;
    }
    MJ.fill(0);
    for (let i = 0; i < n; i++) {
      for (let l = 0; l < n; l++) {
        const m = Dinv[i * n + l];
        if (m === 0) continue;
        for (let j = 0; j < n; j++) MJ[i * n + j] += m * J[l * n + j];
      }
    }
  };

  const kernel = (run: (v: Float64Array, out: Float64Array) => void, inputs: readonly string[], outputs: number, what: string): CompiledKernel => ({
    run,
    inputs,
    outputs,
    source: `// structured (${what}): f = C·a(x, t) + c with ${K} atoms and ${drift.column.length} coefficients; D constant\n${drift.atomKernel.source}`,
  });

  return {
    drift: kernel(
      (v, out) => {
        load(v);
        evalDrift();
        out.set(f);
      },
      stateIn,
      n,
      'drift',
    ),
    driftJacobian: kernel(
      (v, out) => {
        load(v);
        evalJacobian();
        out.set(J);
      },
      stateIn,
      n * n,
      'drift Jacobian',
    ),
    diffusion: kernel((_, out) => out.set(D), stateIn, n * n, 'diffusion'),
    lagrangian: kernel(
      (v, out) => {
        residual(v);
        let s = 0;
        for (let i = 0; i < n; i++) s += r[i] * q[i];
        out[0] = 0.5 * s;
      },
      lagrIn,
      1,
      'Lagrangian',
    ),
    lagrangianGradient: kernel(
      (v, out) => {
        residual(v);
        transposeProduct(q);
        out.fill(0, 0, n);
        addAtomGradient(out, 0, -1);
        for (let i = 0; i < n; i++) out[n + i] = q[i];
      },
      lagrIn,
      2 * n,
      'Lagrangian gradient',
    ),
    lagrangianHessian: kernel(
      (v, out) => {
        residual(v);
        evalJacobian();
        weightedJacobian();
        const nn = n * n;
        // ∂²L/∂x²: ½ JᵀD⁻¹J − Σ w_k ∇²a_k.
        out.fill(0, 0, nn);
        if (atomGram) {
          // Σ over pairs of gradient entries: ∂a_k/∂x_i · ½(CᵀD⁻¹C)_kl · ∂a_l/∂x_j (grad is fresh from evalJacobian).
          const { gradientAtom, gradientVariable } = drift;
          const K = drift.atoms.length;
          for (let e = 0; e < grad.length; e++) {
            const ge = grad[e];
            if (ge === 0) continue;
            const row = gradientAtom[e] * K;
            const i = gradientVariable[e] * n;
            for (let d = 0; d < grad.length; d++) out[i + gradientVariable[d]] += ge * atomGram[row + gradientAtom[d]] * grad[d];
          }
        } else {
          // Row by row of J (contiguous), one triangle, mirrored.
          for (let l = 0; l < n; l++) {
            for (let i = 0; i < n; i++) {
              const jli = 0.5 * J[l * n + i];
              if (jli === 0) continue;
              for (let j = i; j < n; j++) out[i * n + j] += jli * MJ[l * n + j];
            }
          }
          for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) out[i * n + j] = out[j * n + i];
        }
        transposeProduct(q);
        addAtomHessian(out, 0, n, -1);
        // ∂²L/∂xᵢ∂ẋⱼ = −½ (D⁻¹J)ⱼᵢ; ∂²L/∂ẋ² = ½D⁻¹.
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            out[nn + i * n + j] = -0.5 * MJ[j * n + i];
            out[2 * nn + i * n + j] = 0.5 * Dinv[i * n + j];
          }
        }
      },
      lagrIn,
      3 * n * n,
      'Lagrangian Hessian',
    ),
    hamiltonian: kernel(
      (v, out) => {
        loadMomenta(v);
        evalDrift();
        apply(D, r, q, 1);
        let s = 0;
        for (let i = 0; i < n; i++) s += r[i] * (q[i] + f[i]);
        out[0] = s;
      },
      hamIn,
      1,
      'Hamiltonian',
    ),
    hamiltonianGradient: kernel(
      (v, out) => {
        loadMomenta(v);
        evalDrift();
        transposeProduct(r);
        out.fill(0, 0, n);
        addAtomGradient(out, 0, 1);
        apply(D, r, q, 2);
        for (let i = 0; i < n; i++) out[n + i] = q[i] + f[i];
      },
      hamIn,
      2 * n,
      'Hamiltonian gradient',
    ),
    hamiltonianHessian: kernel(
      (v, out) => {
        loadMomenta(v);
        const m = 2 * n;
        out.fill(0);
        transposeProduct(r);
        addAtomHessian(out, 0, m, 1);
        evalJacobian();
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            out[i * m + n + j] = J[j * n + i]; // ∂²H/∂xᵢ∂pⱼ = ∂fⱼ/∂xᵢ
            out[(n + j) * m + i] = J[j * n + i];
            out[(n + i) * m + n + j] = 2 * D[i * n + j];
          }
        }
      },
      hamIn,
      4 * n * n,
      'Hamiltonian Hessian',
    ),
  };
}

/** Every atom depends on one state variable at most (then ∇a has at most K entries). */
function sparseAtomGradients(d: AtomicDrift): boolean {
  const seen = new Uint8Array(d.atoms.length);
  for (const k of d.gradientAtom) {
    if (seen[k]) return false;
    seen[k] = 1;
  }
  return true;
}

/** ½ CᵀD⁻¹C (K×K, row-major), formed once: O(Σᵢ nnz(rowᵢ)²) for a diagonal D. */
function halfAtomGram(d: AtomicDrift, Dinv: Float64Array, diagonal: boolean): Float64Array {
  const { n, rowStart, column, coefficient } = d;
  const K = d.atoms.length;
  const G = new Float64Array(K * K);
  // Y = D⁻¹C as sparse rows (C's own pattern when D is diagonal).
  const Y: Array<Map<number, number>> = Array.from({ length: n }, () => new Map());
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < n; l++) {
      const m = Dinv[i * n + l];
      if (m === 0 || (diagonal && l !== i)) continue;
      for (let e = rowStart[l]; e < rowStart[l + 1]; e++) Y[i].set(column[e], (Y[i].get(column[e]) ?? 0) + m * coefficient[e]);
    }
  }
  for (let i = 0; i < n; i++) {
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
      const row = column[e] * K;
      const c = 0.5 * coefficient[e];
      for (const [l, y] of Y[i]) G[row + l] += c * y;
    }
  }
  return G;
}

function isDiagonal(M: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && M[i * n + j] !== 0) return false;
  return true;
}

/** The gradient entries grouped by atom: the entries of atom k are entry[start[k]..start[k+1]). */
function gradientsByAtom(d: AtomicDrift): { start: Int32Array; entry: Int32Array } {
  const K = d.atoms.length;
  const start = new Int32Array(K + 1);
  for (const k of d.gradientAtom) start[k + 1]++;
  for (let k = 0; k < K; k++) start[k + 1] += start[k];
  const fill = start.slice(0, K);
  const entry = new Int32Array(d.gradientAtom.length);
  d.gradientAtom.forEach((k, e) => {
    entry[fill[k]++] = e;
  });
  return { start, entry };
}
