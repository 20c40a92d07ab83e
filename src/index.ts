// The public API of noether.

export { NoetherError, type ErrorCode, type ErrorLocation } from './errors.ts';
export type { Expr } from './expr/expr.ts';
export { parseExpression, type Scope } from './expr/parse.ts';
export { toText } from './expr/print.ts';
export { diff } from './expr/diff.ts';
export { buildModel } from './model/build.ts';
export { loadModelFile, parseModelText } from './model/load.ts';
export type { Model, ModelSpec, Diffusion, DiffusionStructure, Parameter } from './model/types.ts';
export { buildLagrangian, equationsOfMotion, type ActionKind, type EquationsOfMotion, type LagrangianResult } from './lagrangian/lagrangian.ts';
export { formatLagrangian, lagrangianJSON } from './latex/lagrangian-output.ts';
export { toLatex, latexSymbol } from './latex/latex.ts';
