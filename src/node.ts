// The Node entry of noether (`noether/node`): everything of the main entry, plus
// reading model and rule files and writing figures and reports to disk.

export * from './index.ts';
export { readModelFile } from './model/file.ts';
export { sweep, type SweepOptions } from './api/sweep-threads.ts';
export { loadRuleDir } from './symmetry/rule-files.ts';
export { renderFigure, writeAtomically, writeFigure } from './plot/files.ts';
export { chargesSpec, pathSpec, toSvg, type PathContext, type PathSpecOptions, type PlottedPath, type Spec } from './plot/render.ts';
export { htmlReport, type ReportInput } from './report/html.ts';
