// The path report as text.

import type { PathReport } from '../api/reports.ts';

/**
 * A path report in text: the solver's outcome, the end points, T, E, S, and
 * every charge's drift along the path.
 *
 * @example
 * console.log(formatPath(createAnalyzer(ou).path({ from: [1, 0], to: [0, 1], T: 2 })));
 * // Most likely path of ou2d: converged (newton, 2 iterations, …)
 */
export function formatPath(r: PathReport): string {
  const fmt = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(8))) : String(x));
  const lines = [
    `Most likely path of ${r.model.name}: ${r.converged ? 'converged' : 'NOT converged'} (${r.method}, ${r.iterations} iterations, ${r.polished ? 'end-point miss' : '|∂S/∂x|'} = ${r.gradientNorm.toExponential(2)})`,
    `  from (${r.request.from.map(fmt).join(', ')}) to (${r.request.to.map(fmt).join(', ')}), T = ${r.infiniteDuration ? '∞' : fmt(r.T)}, E = ${fmt(r.E)}, action S = ${fmt(r.action)}`,
    ...(r.infiniteDuration
      ? [`  at E = 0 the path takes infinite time to ${r.infiniteDuration.ends.length === 2 ? 'leave and reach its fixed points' : r.infiniteDuration.ends[0] === 'to' ? 'reach the fixed point at its end' : 'leave the fixed point at its start'}; ${fmt(r.T)} outside distance ${fmt(r.infiniteDuration.within)} of ${r.infiniteDuration.ends.length === 2 ? 'them' : 'it'}`]
      : []),
    ...(r.stationary === 'minimum' ? [`  a minimum of the ${r.request.E !== null ? 'geometric action across the curve' : 'discrete action'} (its Hessian is positive definite)`] : []),
    ...(r.stationary === 'saddle' ? [`  a SADDLE of the ${r.request.E !== null ? 'geometric' : 'discrete'} action (${r.morseIndex} negative direction${r.morseIndex === 1 ? '' : 's'}): not the most likely path`] : []),
    ...(r.stationary === 'degenerate' ? ['  the Hessian of the discrete action is (nearly) singular: minimum or saddle is not decided'] : []),
    r.polished
      ? '  polished by shooting: path, action and charges to integrator accuracy'
      : r.polishNote === 'off'
        ? `  the discrete path (midpoint rule, ${r.request.nodes} intervals; not polished)`
        : `  not polished: ${r.polishNote}`,
    ...(!r.polished && r.refinementNote !== '' && r.refinementNote !== 'off' ? [`  charges not refined: ${r.refinementNote}`] : []),
    '',
    `Conserved quantities along the path (pass: relative drift ≤ ${r.request.driftTolerance}):`,
  ];
  if (r.quantities.length === 0) lines.push('  none (the model has no exact or quasi-symmetry among the rules)');
  for (const q of r.quantities) {
    let sum = 0;
    for (const v of q.values) sum += v;
    const why = q.order !== null
      ? `, observed order ${q.order.toFixed(2)}`
      : q.zeroOnPath
        ? ' (identically 0 on this path)'
        : q.relativeDrift < 1e-10
          ? ' (at rounding level)'
          : q.drifts.length > 1
            ? ' (not falling under refinement)'
            : '';
    const hint = !q.passed && q.order !== null && q.order > 1 ? ' — discretisation error: raise --nodes' : '';
    lines.push(`  ${q.symbol.padEnd(6)} ${q.passed ? 'ok  ' : 'FAIL'} mean ${fmt(sum / q.values.length)}, relative drift ${q.relativeDrift.toExponential(2)}${why}${hint}`);
  }
  for (const u of r.unchecked) lines.push(`  ${u.symbol.padEnd(6)} not checked: ${u.reason}`);
  return `${lines.join('\n')}\n`;
}
