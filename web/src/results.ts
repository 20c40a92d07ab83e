// The derivation as the page shows it: the model as typeset, the Lagrangian
// (with momenta, energy and Hamiltonian on demand), and one card per tested
// generator with its verdict, the evidence for it, and the conserved charge or
// the counterexample.

import { type SymmetryReport, latexSymbol } from '../../src/index.ts';
import type { Analysis, ErrorInfo } from './protocol.ts';
import { el, escapeHtml, fmt, tex, texSpan } from './util.ts';

const EVIDENCE_HELP: Record<string, string> = {
  symbolic: 'proved: δL (or δL − dK/dt) simplifies to 0 symbolically, for all parameter values',
  'symbolic (at these parameter values)': 'proved symbolically with the parameters at their current values',
  counterexample: 'δL ≠ 0 at the point shown, so this is not a symmetry',
  numeric: 'checked numerically',
};

function evidenceTitle(s: SymmetryReport): string {
  if (s.status !== 'broken' && s.evidence === 'numeric') return `not a proof: δL vanished at ${s.points} random sample points, but no symbolic simplification was found`;
  return EVIDENCE_HELP[s.evidenceSummary] ?? s.evidenceSummary;
}

export function renderResults(root: HTMLElement, a: Analysis): void {
  root.classList.remove('stale');
  root.innerHTML = '';
  root.append(staleBanner());

  // The model as the pipeline read it.
  const m = a.derivation.model;
  const stateLatex = m.state.map(latexSymbol);
  const driftLatex = m.drift.map((f) => f.latex);
  const D = m.diffusion;
  const diffusionLatex =
    D.structure === 'isotropic'
      ? `D = ${D.matrix[0][0].latex}\\,I`
      : `D = \\begin{pmatrix}${D.matrix.map((row) => row.map((d) => d.latex).join(' & ')).join(' \\\\ ')}\\end{pmatrix}`;
  const model = el('section', { class: 'card model-card' });
  model.append(el('h2', {}, m.name, m.description ? el('span', { class: 'muted desc', text: ` — ${m.description}` }) : ''));
  const sde = m.state.length === 1 ? `\\mathrm{d}${stateLatex[0]} = f\\,\\mathrm{d}t + \\text{noise},\\quad f = ${driftLatex[0]}` : `\\mathrm{d}\\boldsymbol{x} = \\boldsymbol{f}\\,\\mathrm{d}t + \\text{noise},\\quad \\boldsymbol{f} = \\begin{pmatrix}${driftLatex.join(' \\\\ ')}\\end{pmatrix}`;
  model.append(el('div', { class: 'math-scroll' }, texSpan(`${sde},\\quad ${diffusionLatex}`, true)));
  const facts = [
    `state (${m.state.join(', ')})`,
    `D ${D.structure}, positive definite (${D.positiveDefinite.evidence === 'exact' ? 'exact' : `sampled at ${D.positiveDefinite.points} points`})`,
    m.driftDependsOnTime || D.dependsOnTime ? 'time-dependent' : 'autonomous',
  ];
  model.append(el('p', { class: 'facts', text: facts.join(' · ') }));
  root.append(model);

  const lag = el('section', { class: 'card lagrangian-card' });
  lag.append(el('h2', {}, 'Lagrangian ', el('span', { class: 'muted', text: 'L = ¼ (ẋ − f)ᵀ D⁻¹ (ẋ − f)' })));
  const L = el('div', { class: 'math-scroll', id: 'lagrangian' });
  const lagr = a.lagrangian;
  tex(L, `L = ${lagr.lagrangian.latex}`, true);
  lag.append(L);
  const more = el('details', { class: 'more' });
  more.append(el('summary', { text: 'momenta, energy, Hamiltonian' }));
  const list = el('div', { class: 'math-list' });
  lagr.momenta.forEach((p, i) => list.append(el('div', { class: 'math-scroll' }, texSpan(`p_{${stateLatex[i]}} = \\frac{\\partial L}{\\partial \\dot{${stateLatex[i]}}} = ${p.latex}`, true))));
  list.append(el('div', { class: 'math-scroll' }, texSpan(`E = \\boldsymbol{p}\\cdot\\dot{\\boldsymbol{x}} - L = ${lagr.energy.latex}`, true)));
  list.append(el('div', { class: 'math-scroll' }, texSpan(`H = ${lagr.hamiltonian.latex}`, true)));
  more.append(list);
  lag.append(more);
  root.append(lag);

  const syms = el('section', { class: 'card symmetries-card' });
  const symmetries = a.derivation.symmetries;
  const counts = { exact: 0, quasi: 0, broken: 0, undecided: 0 };
  for (const s of symmetries) counts[s.status]++;
  const undecided = counts.undecided > 0 ? `, ${counts.undecided} undecided` : '';
  syms.append(
    el('h2', {}, 'Symmetries and conserved charges ', el('span', { class: 'muted', text: `${symmetries.length} generators: ${counts.exact} exact, ${counts.quasi} quasi, ${counts.broken} broken${undecided}` })),
  );
  const algebra = a.derivation.algebra;
  if (algebra) {
    const size = algebra.dimension === null ? 'dimension not determined' : `dimension ${algebra.dimension}`;
    const p = el('p', { class: 'algebra muted', id: 'algebra', 'data-dimension': String(algebra.dimension ?? '') });
    p.textContent = `Symmetry algebra (solved for ${algebra.searched}): ${size}, ${algebra.complete ? 'complete' : 'possibly incomplete'}${algebra.name ? ` — ${algebra.name}` : ''}.${algebra.note ? ` ${algebra.note}.` : ''}`;
    syms.append(p);
  }
  const listEl = el('div', { class: 'sym-list', id: 'symmetries' });
  for (const s of symmetries) listEl.append(symmetryCard(s));
  syms.append(listEl);
  const skipped = a.derivation.rules.filter((r) => r.status === 'skipped');
  if (skipped.length > 0) {
    const p = el('p', { class: 'skipped muted' });
    p.textContent = `Not applicable: ${skipped.map((r) => `${r.rule ?? r.file} (${(r.reason ?? '').replace(/^does not apply to [^:]*: /, '')})`).join('; ')}`;
    syms.append(p);
  }
  root.append(syms);
}

function symmetryCard(s: SymmetryReport): HTMLElement {
  const card = el('article', { class: `sym ${s.status}`, 'data-rule': s.rule, 'data-status': s.status, 'data-description': s.description });
  const head = el('header');
  head.append(
    el('span', { class: 'desc', text: s.description }),
    el('span', { class: `badge ${s.status}`, text: s.status, title: s.status === 'quasi' ? 'δL = dK/dt: a symmetry up to a total derivative' : s.status }),
    el('span', { class: `evidence ${s.evidenceSummary.startsWith('numeric') ? 'numeric' : s.evidenceSummary === 'counterexample' ? 'counter' : 'symbolic'}`, text: s.evidenceSummary, title: evidenceTitle(s) }),
  );
  card.append(head);
  const g = s.generator.latex;
  card.append(el('div', { class: 'generator math-scroll' }, texSpan(`\\tau = ${g.dt},\\quad \\xi = \\left(${g.dx.join(',\\ ')}\\right)`)));
  if (s.quantity) {
    const c = s.quantity;
    const charge = el('div', { class: 'charge math-scroll', 'data-symbol': c.symbol });
    tex(charge, `${c.symbolLatex} = ${c.latex}`, true);
    card.append(el('div', { class: 'charge-name muted', text: `conserved: ${c.name}` }), charge);
    if (c.vectorLatex) card.append(el('div', { class: 'vector math-scroll muted' }, texSpan(`\\displaystyle ${c.symbolLatex} = ${c.vectorLatex}`)));
    if (s.gauge?.latex) card.append(el('div', { class: 'gauge math-scroll' }, el('span', { class: 'muted', text: 'gauge term: ' }), texSpan(`K = ${s.gauge.latex}`)));
  } else if (s.status === 'broken') {
    const ce = el('div', { class: 'counterexample math-scroll' });
    if (s.counterexample) {
      ce.append(el('span', { class: 'muted', text: 'counterexample: ' }), texSpan(`\\delta L = ${latexNumber(s.counterexample.deltaL)} \\ne 0 \\text{ at } ${pointLatex(s.counterexample.point)}`));
    } else ce.append(el('span', { class: 'muted', text: s.gauge?.note ?? 'δL is not zero and not a total time derivative' }));
    card.append(ce);
  } else if (s.reason) card.append(el('div', { class: 'note muted', text: `undecided: ${s.reason}` }));
  else if (s.gauge?.note) card.append(el('div', { class: 'note muted', text: s.gauge.note }));
  return card;
}

/** x = 0.3, ẋ = −1.2, t = 0.5: state, velocities, then time, as the report lists them. */
function pointLatex(p: Readonly<Record<string, number>>): string {
  return Object.entries(p)
    .map(([k, v]) => `${latexSymbol(k)} = ${latexNumber(v)}`)
    .join(',\\ ');
}

function latexNumber(v: number): string {
  const s = fmt(v);
  return s.includes('e') ? s.replace(/e(-?)\+?(\d+)/, (_m, sign: string, d: string) => ` \\times 10^{${sign}${d}}`) : s;
}

function staleBanner(): HTMLElement {
  const b = el('div', { class: 'stale-banner', role: 'status' });
  b.hidden = true;
  return b;
}

/** Keeps the last valid results visible, dimmed, under a note that the model now has an error. */
export function markStale(root: HTMLElement, err: ErrorInfo | undefined): void {
  const banner = root.querySelector('.stale-banner') as HTMLElement | null;
  if (!err) {
    root.classList.remove('stale');
    if (banner) banner.hidden = true;
    return;
  }
  if (!banner) {
    // Nothing valid to show yet: the error itself.
    root.innerHTML = `<section class="card"><h2>The model has an error</h2><p>${escapeHtml(err.path ? `${err.path}: ` : '')}${escapeHtml(err.detail)}</p><p class="muted">It is marked in the model editor. Results appear as soon as the model is valid.</p></section>`;
    return;
  }
  root.classList.add('stale');
  banner.hidden = false;
  banner.innerHTML = `<strong>The model has an error</strong> (${escapeHtml(err.path ?? err.code)}) — showing the last valid results.`;
}
