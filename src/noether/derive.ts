// The whole derivation for one model: every rule instance tested, the symmetry
// algebra solved for (discover.ts) with the generators the rules do not
// already give, and the conserved quantity of each symmetry found.

import { compileScalar } from '../expr/evaluate.ts';
import { type Expr, add, dependsOn, mul, num, pow, sub, substitute, sym } from '../expr/expr.ts';
import { diff } from '../expr/diff.ts';
import { isZeroSymbolic, tidy } from '../expr/normal.ts';
import { Rational } from '../expr/rational.ts';
import { toText } from '../expr/print.ts';
import type { LagrangianResult } from '../lagrangian/lagrangian.ts';
import { samplingInterval } from '../model/domain.ts';
import { Rng } from '../random/rng.ts';
import { type Verdict, detect, pointWhereVariationIsNonZero, quickCounterexample, variation } from '../symmetry/detect.ts';
import { type NetworkForm, affineSymmetry, boostBreaksNetwork, networkForm } from '../symmetry/network.ts';
import { type Bracket, algebraName, linearBrackets, structureConstants } from '../symmetry/algebra.ts';
import { combineBroken } from '../symmetry/combine.ts';
import { discover } from '../symmetry/discover.ts';
import { type Generator, type RuleInstance, type RuleReportEntry, type RuleSet, instantiate } from '../symmetry/rules.ts';
import { type Charge, noetherCharge } from './charge.ts';

export interface SymmetryResult {
  readonly instance: RuleInstance;
  readonly verdict: Verdict;
  /** The conserved quantity, for exact and quasi symmetries (undefined if broken or K is not known in closed form). */
  readonly charge?: Charge;
}

/** The symmetry algebra as solved for, with a basis among the symmetries. */
export interface Algebra {
  /** Its dimension (null when not finite, or when the equations were not solved). */
  readonly dimension: number | null;
  /** Indices into `symmetries` of a basis: the rules' symmetries first, then the generators discovery added. */
  readonly basis: readonly number[];
  readonly searched: string;
  /** The basis spans every symmetry of the searched class. */
  readonly complete: boolean;
  readonly note?: string;
  /** [v_a, v_b] for every pair of basis elements (a, b index the basis, not `symmetries`). */
  readonly brackets: readonly Bracket[];
  /** The algebra's name, where it is recognisable. */
  readonly name: string | null;
}

export interface Derivation {
  readonly lagrangian: LagrangianResult;
  /** Which rule files were loaded or skipped, and rules that did not apply to this model. */
  readonly rules: readonly RuleReportEntry[];
  readonly symmetries: readonly SymmetryResult[];
  /** The algebra found by solving the determining equations (absent when discovery is off). */
  readonly algebra?: Algebra;
}

export function checkInstance(lagr: LagrangianResult, instance: RuleInstance, network?: NetworkForm): SymmetryResult {
  // On a recognised network an affine generator that satisfies the matrix identities is proved
  // exactly (network.ts) without the normal forms of δL, which grow like N⁴ with radial drifts.
  // Any other generator (rejected, or time-dependent) is first tried for a counterexample found without
  // building δL: δL at rest not constant, or a boost moving a unit that feeds another (then a point where δL ≠ 0).
  const decided = network && affineSymmetry(lagr, network, instance.generator);
  const counterexample =
    network && decided !== true
      ? (quickCounterexample(lagr, instance.generator) ??
        (boostBreaksNetwork(lagr, network, instance.generator) ? pointWhereVariationIsNonZero(lagr, instance.generator) : undefined))
      : undefined;
  const verdict: Verdict =
    decided === true
      ? { status: 'exact', evidence: 'symbolic', scope: 'these parameter values' }
      : counterexample
        ? { status: 'broken', evidence: 'numeric', counterexample }
        : detect(lagr, instance.generator);
  const charge = noetherCharge(lagr, instance, verdict);
  return { instance, verdict, ...(charge ? { charge } : {}) };
}

/** Built-in families first, in the order the paper introduces them; other rules after, by name. */
const ORDER = ['time', 'translation', 'rotation', 'boost', 'scaling'];
function rank(name: string): number {
  const i = ORDER.indexOf(name);
  return i < 0 ? ORDER.length : i;
}

/** A rule with more generators than this on a model is left to discovery (when discovery is on). */
const MAX_RULE_INSTANCES = 4096;

export interface DeriveOptions {
  /** Solve for the whole symmetry algebra (default true); false tests the rules only. */
  readonly discover?: boolean;
}

export function derive(lagr: LagrangianResult, rules: RuleSet, options: DeriveOptions = {}): Derivation {
  const report: RuleReportEntry[] = [...rules.report];
  const symmetries: SymmetryResult[] = [];
  const network = networkForm(lagr);
  const ordered = [...rules.rules].sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const rule of ordered) {
    const { instances, skipped } = instantiate(rule, lagr.model);
    if (skipped !== undefined) {
      report.push({ file: rule.file ?? rule.name, status: 'skipped', rule: rule.name, reason: `does not apply to ${lagr.model.name}: ${skipped}` });
      continue;
    }
    // The plane rotations of a network number N(N − 1)/2: past a few thousand, testing them one
    // by one costs minutes and gigabytes of counterexamples, and discovery solves for every one that holds.
    if (instances.length > MAX_RULE_INSTANCES && options.discover !== false) {
      report.push({
        file: rule.file ?? rule.name,
        status: 'skipped',
        rule: rule.name,
        reason: `its ${instances.length} generators (more than ${MAX_RULE_INSTANCES}) are not tested one by one; the symmetry algebra solved for holds those that are symmetries (see whether it is complete)`,
      });
      continue;
    }
    for (const instance of instances) symmetries.push(checkInstance(lagr, instance, network));
  }
  if (options.discover === false) return { lagrangian: lagr, rules: report, symmetries };
  return { lagrangian: lagr, rules: report, symmetries, algebra: extend(lagr, symmetries, network) };
}

/** Largest basis whose Lie brackets are computed one pair at a time (verified symbolically). */
const MAX_BRACKET_BASIS = 24;
/** Largest basis of linear generators (constant τ, ξ = Ωx) whose brackets are computed from their matrices, and the algebra named. */
const MAX_LINEAR_BRACKET_BASIS = 300;

/**
 * Solves for the algebra, keeps the rules' symmetries as the first basis
 * elements, and appends (checked) the discovered generators they do not span.
 */
function extend(lagr: LagrangianResult, symmetries: SymmetryResult[], network: NetworkForm | undefined): Algebra {
  const found = discover(lagr, network);
  const span = new Span(lagr, symmetries.length + found.basis.length);
  const basis: number[] = [];
  symmetries.forEach((s, i) => {
    if ((s.verdict.status === 'exact' || s.verdict.status === 'quasi') && span.add(s.instance.generator)) basis.push(i);
  });
  let unverified = 0;
  for (const generator of found.basis) {
    if (!span.independent(generator)) continue;
    const k = basis.length + 1;
    const result = checkInstance(lagr, {
      rule: 'discovered',
      description: describe(generator, lagr),
      params: {},
      generator,
      charge: { name: 'Noether charge', symbol: `J_${k}`, latex: `J_{${k}}`, sign: 1 },
    }, network);
    if (result.verdict.status !== 'exact' && result.verdict.status !== 'quasi') {
      unverified++;
      continue;
    }
    span.add(generator);
    symmetries.push(atParameterValues(result, lagr));
    basis.push(symmetries.length - 1);
  }
  // Where the determining equations were not solved (t-dependent coefficients: a rotating or
  // moving trap), combinations of the rules' broken generators may still be exact.
  let combined = 0;
  if (!found.complete) {
    const broken = symmetries.filter((s) => s.verdict.status === 'broken' && s.instance.rule !== 'discovered');
    for (const c of combineBroken(lagr, broken.map((s) => ({ generator: s.instance.generator, variation: s.verdict.variation ?? variation(lagr, s.instance.generator), description: s.instance.description })))) {
      if (!span.independent(c.generator)) continue;
      const k = basis.length + 1;
      const result = checkInstance(lagr, {
        rule: 'discovered',
        description: `combination: ${c.description}`,
        params: {},
        generator: c.generator,
        charge: { name: 'Noether charge', symbol: `J_${k}`, latex: `J_{${k}}`, sign: 1 },
      });
      if (result.verdict.status !== 'exact' && result.verdict.status !== 'quasi') continue;
      span.add(c.generator);
      symmetries.push(atParameterValues(result, lagr));
      basis.push(symmetries.length - 1);
      combined++;
    }
  }
  // The rules may hold symmetries discovery does not reach (a state-dependent D): the dimension is what the basis spans then.
  const dimension = found.dimension === null ? null : Math.max(found.dimension, basis.length);
  const complete = found.complete && unverified === 0 && basis.length === dimension;
  const notes = [
    ...(found.note ? [found.note] : []),
    ...(unverified > 0 ? [`${unverified} solution(s) of the determining equations did not verify as symmetries and were left out`] : []),
    ...(combined > 0 ? [`${combined} symmetr${combined === 1 ? 'y' : 'ies'} found as combinations of the rules' broken generators`] : []),
  ];
  // Linear generators are bracketed exactly from their matrices; any others one pair at a time, each
  // verified symbolically, which past a few hundred pairs costs more than it tells.
  const generators = basis.map((i) => symmetries[i].instance.generator);
  const brackets =
    (basis.length <= MAX_LINEAR_BRACKET_BASIS ? linearBrackets(generators, lagr.model) : undefined) ??
    (basis.length <= MAX_BRACKET_BASIS ? structureConstants(generators, lagr.model) : undefined);
  if (!brackets) {
    notes.push(`the brackets of the ${basis.length} basis generators were not computed (at most ${MAX_BRACKET_BASIS}, or ${MAX_LINEAR_BRACKET_BASIS} when every one is linear: constant τ, ξ = Ωx)`);
  }
  // An algebra not known to be complete is named as the span of the generators found.
  const spanName = brackets ? algebraName(basis.length, brackets, lagr.model.state.length) : null;
  const name = complete && dimension !== null ? spanName : spanName && `${spanName}, spanned by the generators found`;
  return { dimension, basis, searched: found.searched, complete, ...(notes.length > 0 ? { note: notes.join('; ') } : {}), brackets: brackets ?? [], name };
}

/**
 * A discovered generator was solved for at the model's parameter values, so its
 * charge and gauge term are written there too (not with the parameters as
 * symbols, which would claim more than was found).
 */
function atParameterValues(result: SymmetryResult, lagr: LagrangianResult): SymmetryResult {
  // Proved with the parameters as symbols: the charge holds for all their values as written.
  if (result.verdict.scope === 'all parameter values') return result;
  const values = new Map(lagr.model.params.map((p) => [p.name, num(Rational.fromNumber(p.value))]));
  const fix = (e: Expr): Expr => tidy(substitute(e, values));
  const { verdict, charge } = result;
  const K = verdict.gauge?.K;
  return {
    ...result,
    verdict: K ? { ...verdict, gauge: { ...verdict.gauge, K: fix(K) } } : verdict,
    ...(charge ? { charge: { ...charge, expr: fix(charge.expr), parts: charge.parts.map(fix) } } : {}),
  };
}

/**
 * A descriptive name for a discovered generator: what kind it is where that is
 * recognisable (special conformal τ ∝ t², ξ ∝ t x; a rotation of the D⁻¹ metric
 * ξ = Ωx with D⁻¹Ω skew; a time-dependent translation), then its τ and ξ.
 */
function describe(g: Generator, lagr: LagrangianResult): string {
  const tau = toText(g.dt);
  const xi = `(${g.dx.map(toText).join(', ')})`;
  const formula = tau === '0' ? `ξ = ${xi}` : g.dx.every((e) => toText(e) === '0') ? `τ = ${tau}` : `τ = ${tau}, ξ = ${xi}`;
  const kind = kindOf(g, lagr);
  return kind ? `${kind}: ${formula}` : formula;
}

function kindOf(g: Generator, lagr: LagrangianResult): string | undefined {
  const x = lagr.model.state;
  const free = (e: Expr, names: readonly string[]): boolean => !dependsOn(e, names);
  if (isZeroSymbolic(g.dt)) {
    // ξ = a(t): a translation with a time profile.
    if (g.dx.every((e) => free(e, x))) return 'translation with a time profile';
    // ξ = Ωx, Ω constant: a rotation when D⁻¹Ω is skew.
    const omega = g.dx.map((e) => x.map((s) => tidy(diff(e, s))));
    const linear = g.dx.every((e, i) => isZeroSymbolic(sub(e, add(...x.map((s, j) => mul(omega[i][j], sym(s))))))) && omega.flat().every((w) => free(w, [...x, 't']));
    if (linear) {
      const values = new Map(lagr.model.params.map((p) => [p.name, num(Rational.fromNumber(p.value))]));
      const A = lagr.inverseDiffusion.map((row) => row.map((a) => substitute(a, values)));
      const AO = A.map((row) => x.map((_, j) => add(...row.map((a, k) => mul(a, omega[k][j])))));
      const skew = AO.every((row, i) => row.every((v, j) => isZeroSymbolic(add(v, AO[j][i]))));
      if (skew) return lagr.model.diffusion.structure === 'isotropic' ? 'rotation' : 'rotation in the D⁻¹ metric';
    }
    return undefined;
  }
  // τ ∝ t², ξ ∝ t x: the special conformal generator of free diffusion.
  const c = tidy(mul(g.dt, pow(sym('t'), num(-2))));
  if (free(c, [...x, 't']) && g.dx.every((e, i) => isZeroSymbolic(sub(e, mul(c, sym('t'), sym(x[i])))))) return 'special conformal';
  // τ(t) with ξ = h(t) x: a dilation with a reparametrised time.
  const h = tidy(mul(g.dx[0], pow(sym(x[0]), num(-1))));
  if (free(h, x) && g.dx.every((e, i) => isZeroSymbolic(sub(e, mul(h, sym(x[i])))))) return 'dilation with a time profile';
  return undefined;
}

/** Linear independence of generators, by their values at seeded points (t in the model's interval). */
class Span {
  private readonly rows: number[][] = [];
  private readonly points: number[][];
  private readonly names: string[];

  /** `capacity`: how many generators may be added (the points give twice as many values). */
  constructor(lagr: LagrangianResult, capacity: number) {
    this.names = [...lagr.model.state, 't', ...lagr.model.params.map((p) => p.name)];
    const rng = new Rng(0x5a11);
    const values = lagr.model.params.map((p) => p.value);
    const count = Math.max(6, Math.ceil((2 * capacity) / (lagr.model.state.length + 1)));
    this.points = Array.from({ length: count }, () => [...lagr.model.state.map((_, i) => rng.between(...samplingInterval(lagr.model.domain[i], 1.2))), rng.between(...lagr.model.time), ...values]);
  }

  /** The generator's components at the points. */
  private vector(g: Generator): number[] {
    const index = new Map(this.names.map((s, i) => [s, i]));
    const fns = [g.dt, ...g.dx].map((e: Expr) => compileScalar(e, (s) => index.get(s)));
    return this.points.flatMap((p) => fns.map((f) => f(p)));
  }

  independent(g: Generator): boolean {
    return residual(this.vector(g), this.rows) > 1e-8;
  }

  /** Adds g if it is independent of those added; says whether it was. */
  add(g: Generator): boolean {
    const v = this.vector(g);
    if (!v.every(Number.isFinite) || residual(v, this.rows) <= 1e-8) return false;
    this.rows.push(orthonormal(v, this.rows));
    return true;
  }
}

function norm(v: readonly number[]): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

/** |v − its projection on the orthonormal rows| / |v|. */
function residual(v: number[], rows: readonly number[][]): number {
  const n = norm(v);
  return n === 0 ? 0 : norm(orthogonalPart(v, rows)) / n;
}

function orthogonalPart(v: number[], rows: readonly number[][]): number[] {
  const w = [...v];
  for (let pass = 0; pass < 2; pass++) {
    for (const r of rows) {
      let d = 0;
      for (let i = 0; i < w.length; i++) d += w[i] * r[i];
      for (let i = 0; i < w.length; i++) w[i] -= d * r[i];
    }
  }
  return w;
}

function orthonormal(v: number[], rows: readonly number[][]): number[] {
  const w = orthogonalPart(v, rows);
  const n = norm(w);
  return w.map((x) => x / n);
}
