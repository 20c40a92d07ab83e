// The public API of noether: every pipeline stage as plain functions.

export { NoetherError, type ErrorCode, type ErrorLocation } from './errors.ts';

// Expressions
export type { Expr } from './expr/expr.ts';
export { parseExpression, type Scope } from './expr/parse.ts';
export { toText } from './expr/print.ts';
export { diff } from './expr/diff.ts';
export { zeroTest, type ZeroTest, type ZeroTestOptions } from './expr/zero.ts';

// Models
export { buildModel } from './model/build.ts';
export { loadModelFile, parseModelText } from './model/load.ts';
export type { Model, ModelSpec, Diffusion, DiffusionStructure, Parameter } from './model/types.ts';

// Lagrangian, symmetries, charges
export {
  buildLagrangian,
  equationsOfMotion,
  geometricLagrangian,
  type ActionKind,
  type EquationsOfMotion,
  type LagrangianResult,
} from './lagrangian/lagrangian.ts';
export { builtinRulesDir, loadRuleDir, mergeRules, parseGeneratorClaim, type Rule, type RuleInstance } from './symmetry/rules.ts';
export { detect, variation, type Verdict } from './symmetry/detect.ts';
export { derive, checkInstance, type Derivation, type SymmetryResult } from './noether/derive.ts';

// Output
export { formatLagrangian, lagrangianJSON } from './latex/lagrangian-output.ts';
export { formatDerivation, derivationJSON, symmetryJSON } from './latex/derive-output.ts';
export { toLatex, latexSymbol } from './latex/latex.ts';

// Numerics
export { compileKernel, type CompiledKernel } from './compile/compile.ts';
export { compileModel, compileCharges, compileLagrangianKernels, compileHamiltonianHessian, type ModelKernels } from './compile/model-kernels.ts';
export { solveFixedTime, type PathSolution } from './solve/fixed-time.ts';
export { solveFixedEnergy, type FixedEnergySolution } from './solve/fixed-energy.ts';
export { shoot } from './solve/shoot.ts';
export { integrate } from './solve/rk45.ts';
export { solveAndCheck, type PathReport, type PathRequest } from './check/path-report.ts';
export { findFixedPoints, type FixedPoint } from './solve/fixed-points.ts';

// Simulation
export * from './simulate/index.ts';
