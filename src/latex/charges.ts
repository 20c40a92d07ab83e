// The paper's notation for conserved charges: their LaTeX symbols (L_{xy}) and
// vector forms (Eqs. 10, 12, 14, 16), shown next to the component formulas.

import { mul, num } from '../expr/expr.ts';
import { fractionParts } from '../expr/print.ts';
import type { LagrangianResult } from '../lagrangian/lagrangian.ts';
import type { SymmetryResult } from '../noether/derive.ts';
import { fillPlaceholders } from '../symmetry/rules.ts';
import { latexSymbol, toLatex } from './latex.ts';

const BX = '\\boldsymbol{x}';
const BF = '\\boldsymbol{f}';
const BXDOT = '\\dot{\\boldsymbol{x}}';

/** The paper's vector notation for the built-in charges (Eqs. 10, 12, 14, 16), for the reader's check. */
export function vectorForm(s: SymmetryResult, lagr: LagrangianResult): string | undefined {
  if (!s.charge) return undefined;
  const { a, b } = s.charge.axes;
  const d = lagr.model.diffusion;
  const om = lagr.action === 'om' ? ' - \\frac{1}{2}\\nabla\\cdot' + BF : '';
  switch (s.instance.rule) {
    case 'time':
      if (d.structure === 'isotropic' && !d.dependsOnState && !d.dependsOnTime) {
        // (‖ẋ‖² − ‖f‖²)/(4D), with any fraction in D moved to the numerator: τ(…)/(4σ²) for D = σ²/τ.
        const { numer, denom } = fractionParts(mul(num(4), d.matrix[0][0]));
        const squares = `\\|${BXDOT}\\|^{2} - \\|${BF}\\|^{2}`;
        const top = denom.length === 0 ? squares : `${toLatex(mul(...denom))} \\left(${squares}\\right)`;
        return `\\frac{${top}}{${toLatex(mul(...numer))}}${om}`;
      }
      return `\\frac{1}{4} ${BXDOT}^{\\top} D^{-1} ${BXDOT} - \\frac{1}{4} ${BF}^{\\top} D^{-1} ${BF}${om}`;
    case 'translation':
      // In one dimension the component form says it all.
      return a === undefined || lagr.model.state.length === 1 ? undefined : `\\frac{1}{2} \\left[D^{-1} \\left(${BXDOT} - ${BF}\\right)\\right]_{${latexSymbol(a)}}`;
    case 'rotation':
      return a === undefined || b === undefined ? undefined : `${latexSymbol(a)} p_{${latexSymbol(b)}} - ${latexSymbol(b)} p_{${latexSymbol(a)}}`;
    case 'boost':
      return a === undefined ? undefined : `t\\, p_{${latexSymbol(a)}}${s.verdict.status === 'quasi' ? ' - K' : ''}`;
    case 'scaling':
      return `${BX} \\cdot \\boldsymbol{p} - 2 t E${s.verdict.status === 'quasi' ? ' - K' : ''}`;
    default:
      return undefined;
  }
}

/** The charge's LaTeX symbol, its placeholders filled with the axes' LaTeX names. */
export function chargeSymbolLatex(s: SymmetryResult): string {
  const { charge } = s;
  if (!charge) return '';
  const { a, b } = charge.axes;
  return fillPlaceholders(charge.latexSymbolTemplate, {
    ...(a !== undefined ? { a: latexSymbol(a) } : {}),
    ...(b !== undefined ? { b: latexSymbol(b) } : {}),
  });
}
