// A self-contained HTML report of one model: the model, its Lagrangian, the
// symmetry table with evidence and counterexamples, every charge typeset, plots
// of a solved path and of each charge along it, and the commands that reproduce
// it. Formulas are rendered by KaTeX on the server as HTML (with MathML beside it
// for screen readers), styled by KaTeX's CSS with its fonts embedded
// (katex-css.ts): the same rendering in every browser, no network; plots are inline SVG.

import katex from 'katex';
import type { DerivationReport, PathReport } from '../api/reports.ts';
import { katexStylesheet } from './katex-css.ts';

export interface ReportInput {
  readonly derivation: DerivationReport;
  /** A solved path with its charge checks, if one was requested. */
  readonly path?: PathReport;
  /** SVG of the path and of the charges along it (rendered by the caller). */
  readonly pathSvg?: string;
  readonly chargesSvg?: string;
  /** The commands that reproduce the report. */
  readonly commands: readonly string[];
}

/** The symmetry algebra solved for: its dimension, completeness and name. */
function algebraParagraph(d: DerivationReport): string {
  const a = d.algebra;
  if (!a) return '';
  const size = a.dimension === null ? 'of undetermined dimension' : `of dimension ${a.dimension}`;
  const basis = a.basis.map((i) => d.symmetries[i].quantity?.symbol ?? `#${i}`).join(', ');
  return `<p>Solving for every ${escape(a.searched)} gives an algebra ${size} (${a.complete ? 'complete' : 'possibly incomplete'})${a.name ? `: ${escape(a.name)}` : ''}; basis ${escape(basis)}.${a.note ? ` <span class="small">${escape(a.note)}</span>` : ''}</p>`;
}

export function math(tex: string, display = false): string {
  return katex.renderToString(tex, { output: 'htmlAndMathml', throwOnError: true, displayMode: display });
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const STYLE = `
body { font-family: system-ui, sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.8em 0; } th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } .exact { color: #1a7f37; } .quasi { color: #9a6700; } .broken { color: #cf222e; } .undecided { color: #57606a; }
code, pre { background: #f6f8fa; padding: 0.1em 0.3em; border-radius: 3px; } pre { padding: 0.8em; overflow-x: auto; }
.katex-display { margin: 0.6em 0; overflow-x: auto; overflow-y: hidden; padding: 0.2em 0; } .small { font-size: 0.9em; color: #555; }
`;

/**
 * One self-contained HTML page (works offline) of a derivation and, when
 * given, a solved path: the model, the Lagrangian, the symmetry table with
 * evidence and counterexamples, every charge typeset, the plots, and the
 * commands that reproduce it.
 *
 * @example
 * const a = createAnalyzer(readModelFile('examples/ou2d.yaml'));
 * const path = a.path({ from: [0.8, -0.4], to: [-0.4, 0.8], T: 8 });
 * const html = htmlReport({ derivation: a.derivation(), path, pathSvg: await toSvg(pathSpec(path, path.model.state)), commands: [] });
 */
export function htmlReport(input: ReportInput): string {
  const { derivation, path } = input;
  const m = derivation.model;
  const params = Object.entries(m.params).map(([k, v]) => `${k} = ${v}`).join(', ');
  const rows = derivation.symmetries.map((s) => {
    const evidence =
      s.status === 'broken'
        ? s.counterexample
          ? `δL = ${Number(s.counterexample.deltaL.toPrecision(6))} at ${Object.entries(s.counterexample.point)
              .map(([k, x]) => `${escape(k)} = ${Number(x.toPrecision(6))}`)
              .join(', ')}`
          : escape(s.gauge?.note ?? 'no sample point in the domain')
        : s.status === 'undecided'
          ? escape(s.reason ?? 'no certified evaluation')
          : `${escape(s.evidenceSummary)}${s.holdsFor === 'all parameter values' ? ', all parameter values' : ''}`;
    const charge = s.quantity
      ? math(`${s.quantity.symbolLatex} = ${s.quantity.latex}`)
      : s.status === 'quasi' && s.gauge?.latex === null
        ? 'K not in closed form'
        : '—';
    const gauge = s.status === 'quasi' && s.gauge?.latex ? `<br><span class="small">K = ${math(s.gauge.latex)}</span>` : '';
    return `<tr><td>${escape(s.description)}</td><td class="${s.status}">${s.status}</td><td>${evidence}</td><td>${charge}${gauge}</td></tr>`;
  });
  const charges = derivation.symmetries
    .filter((s) => s.quantity)
    .map((s) => {
      const q = s.quantity as NonNullable<typeof s.quantity>;
      return math(`${q.symbolLatex} = ${q.vectorLatex ? `${q.vectorLatex} = ` : ''}${q.latex}`, true);
    });
  const pathSection = path
    ? [
        '<h2>A most likely path</h2>',
        `<p>${path.converged ? 'Converged' : '<strong>Not converged</strong>'} (${escape(path.method)}, ${path.iterations} iterations, ${path.polished ? 'end-point miss' : '|∂S/∂x|'} = ${path.gradientNorm.toExponential(2)}${path.polished ? '; polished by shooting' : ''}): from (${path.x[0].map((v) => Number(v.toPrecision(6))).join(', ')}) to (${path.x[path.x.length - 1].map((v) => Number(v.toPrecision(6))).join(', ')}), T = ${path.infiniteDuration ? '∞' : Number(path.T.toPrecision(6))}, E = ${Number(path.E.toPrecision(6))}, action S = ${Number(path.action.toPrecision(8))}.</p>`,
        input.pathSvg ?? '',
        ...(path.quantities.length === 0 ? ['<p>No conserved quantity was found to check along this path.</p>'] : ['<table><tr><th>charge</th><th>mean</th><th>relative drift</th><th>observed order</th><th>check</th></tr>']),
        ...path.quantities.map(
          (q) =>
            `<tr><td>${escape(q.symbol)}</td><td>${Number((q.values.reduce((a, b) => a + b, 0) / q.values.length).toPrecision(8))}</td><td>${q.relativeDrift.toExponential(2)}</td><td>${q.order === null ? '—' : q.order.toFixed(2)}</td><td class="${q.passed ? 'exact' : 'broken'}">${q.passed ? 'holds' : 'FAILS'}</td></tr>`,
        ),
        path.quantities.length === 0 ? '' : '</table>',
        input.chargesSvg ?? '',
      ]
    : [];
  const body = `<body>
<h1>Symmetries and conserved quantities of <code>${escape(m.name)}</code></h1>
${m.description ? `<p>${escape(m.description)}</p>` : ''}
<h2>Model</h2>
<p>State (${m.state.map(escape).join(', ')})${params ? `; parameters ${escape(params)}` : ''}; diffusion ${m.diffusion.structure}${m.time.given ? `; defined for t in [${m.time.interval.join(', ')}]` : ''}.</p>
${math(`d\\boldsymbol{x} = \\boldsymbol{f}(\\boldsymbol{x}, t)\\,dt + G\\,d\\boldsymbol{W},\\quad D = \\tfrac{1}{2}GG^{\\top}`, true)}
<table><tr><th></th><th>expression</th><th>typeset</th></tr>
${m.drift.map((f, i) => `<tr><td>f<sub>${escape(m.state[i])}</sub></td><td><code>${escape(f.expr)}</code></td><td>${math(f.latex)}</td></tr>`).join('\n')}
${m.diffusion.matrix.map((row, i) => row.map((d, j) => (i <= j && (i === j || d.expr !== '0') ? `<tr><td>D<sub>${i + 1}${j + 1}</sub></td><td><code>${escape(d.expr)}</code></td><td>${math(d.latex)}</td></tr>` : '')).join('')).join('\n')}
</table>
<h2>Onsager–Machlup Lagrangian (Eq. 8)</h2>
${math(`L = ${derivation.lagrangian.latex}`, true)}
<h2>Symmetries</h2>
<table><tr><th>generator</th><th>status</th><th>evidence</th><th>conserved quantity</th></tr>
${rows.join('\n')}
</table>
<p class="small">exact: δL ≡ 0; quasi: δL = dK/dt; broken: a point where δL ≠ 0. Symbolic evidence is a proof by normal form;
numeric evidence is exact or certified (ball-arithmetic) evaluation at seeded random points, strong evidence but not a proof;
undecided: no certified evaluation was possible.</p>
${algebraParagraph(derivation)}
<h2>Conserved quantities</h2>
${charges.join('\n') || '<p>None among the rules.</p>'}
${pathSection.join('\n')}
<h2>Reproduce</h2>
<pre>${input.commands.map(escape).join('\n')}</pre>
<p class="small">Generated by noether.</p>
</body>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>noether report: ${escape(m.name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${katexStylesheet(body)}</style><style>${STYLE}</style></head>
${body}</html>
`;
}
