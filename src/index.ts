// The public API of noether, for any JavaScript environment (Node, browsers,
// bundlers): a model spec in, plain-data reports out. File access (reading
// model and rule files, writing figures) is in the `noether/node` entry.

export { NoetherError, type ErrorCode, type ErrorKind, type ErrorLocation } from './errors.ts';

// The front door
export { analyze, createAnalyzer, type AnalyzeOptions, type Analyzer, type AnalyzerOptions, type SimulationHooks } from './api/analyzer.ts';
export { mergeEnsembles, mergeSweeps } from './api/merge.ts';
export type { DriftFieldRequest, EnsembleRequest, FixedPointRequest, PathRequest, StatePoint, SweepAxis, SweepRequest } from './api/requests.ts';
export type { PathBatch } from './simulate/simulate.ts';

// Models and rules
export type { ModelSpec } from './model/types.ts';
export { parseModelText } from './model/load.ts';
export {
  builtinRules,
  mergeRules,
  parseRules,
  type GeneratorSpec,
  type Over,
  type Rule,
  type RuleCharge,
  type RuleFile,
  type RuleReportEntry,
  type RuleSet,
} from './symmetry/rules.ts';

// Reports
export {
  SCHEMA_VERSION,
  type ActionKind,
  type AlgebraReport,
  type AnalysisReport,
  type ByState,
  type ChargeCheck,
  type CheckReport,
  type DerivationReport,
  type DiffusionStructure,
  type DriftFieldReport,
  type EnsembleReport,
  type EnsembleRequestReport,
  type EvidenceKind,
  type ExprTree,
  type FixedPointEntry,
  type FixedPointReport,
  type Formula,
  type GeneratorReport,
  type LagrangianReport,
  type ModelRef,
  type ModelSummary,
  type NamedFormula,
  type PathMethod,
  type PathReport,
  type PathRequestReport,
  type QuantityReport,
  type Report,
  type SchemaVersion,
  type RuleLoadReport,
  type Stability,
  type SweepPathSummary,
  type SweepPoint,
  type SweepReport,
  type SweepRequestReport,
  type SymmetryReport,
  type SymmetryStatus,
} from './api/reports.ts';

// Reports for people: text, Markdown, LaTeX
export { latexSymbol } from './latex/latex.ts';
export { formatCheck, formatDerivation, latexSnippet, type DeriveFormat } from './format/derivation.ts';
export { formatLagrangian, type OutputFormat } from './format/lagrangian.ts';
export { formatPath } from './format/path.ts';
export { formatFixedPoints } from './format/fixed-points.ts';
export { formatEnsemble } from './format/ensemble.ts';
export { formatSweep } from './format/sweep.ts';
