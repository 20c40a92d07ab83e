// The model file a command names, read and built once.

import { type Analyzer, createAnalyzer } from '../api/analyzer.ts';
import type { ActionKind } from '../api/reports.ts';
import { readModelFile } from '../model/file.ts';
import type { RuleSet } from '../symmetry/rules.ts';

export function openModel(file: string, options: { action?: ActionKind; rules?: RuleSet; discover?: boolean } = {}): Analyzer {
  return createAnalyzer(readModelFile(file), { ...options, file });
}
