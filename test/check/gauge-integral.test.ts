// A quasi-symmetry whose K has no closed form (issue 11, item 5): the charge
// is printed with K as a named integral (∇K = b, ∂ₜK = c0), and path checks
// evaluate K as a line integral. dx = s(1 + x + x²) dW has ξ = t(1 + x + x²)
// with K = ∫ dx / (s²(1 + x + x²)) = 2 atan((2x + 1)/√3) / (√3 s²), which the
// integrator does not find (the linear term): the quadrature is checked against it.
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/index.ts';

const s = 0.5;
const spec = { name: 'multiplicative-quadratic', state: ['x'], params: { s }, drift: '0', noise: 's*(1 + x + x^2)' };
const K = (x: number): number => (2 * Math.atan((2 * x + 1) / Math.sqrt(3))) / (Math.sqrt(3) * s * s);

describe('a gauge term without a closed form', () => {
  const a = createAnalyzer(spec);
  const d = a.derivation();
  const boost = d.symmetries.find((q) => q.quantity?.symbol === 'J_3');

  it('is reported as a named integral, and the charge holds it as a symbol', () => {
    expect(boost?.status).toBe('quasi');
    expect(boost?.gauge).toMatchObject({ expr: null, integral: { symbol: 'K', c0: { expr: '0' } } });
    expect(boost?.gauge?.integral?.b.map((f) => f.expr)).toEqual(['1/(s^2*(x^2 + x + 1))']);
    expect(boost?.quantity?.expr).toMatch(/ - K$/);
  });

  it('is evaluated along a path by quadrature: J_3 = t J_2 − (K(x) − K(x₀)) at every node, and it is conserved', () => {
    const path = a.path({ from: [0.2], to: [1.5], T: 1, nodes: 400 });
    const J2 = path.quantities.find((q) => q.symbol === 'J_2');
    const J3 = path.quantities.find((q) => q.symbol === 'J_3');
    expect(J2 && J3).toBeTruthy();
    if (!J2 || !J3) return;
    // J_3 = t ẋ/(s²(1 + x + x²)) − K and J_2 = ẋ/(s²(1 + x + x²)), with K based at the first node.
    path.t.forEach((t, k) => {
      const expected = t * J2.values[k] - (K(path.x[k][0]) - K(path.x[0][0]));
      expect(Math.abs(J3.values[k] - expected)).toBeLessThan(1e-12 * (1 + Math.abs(expected)));
    });
    expect(J3.passed).toBe(true);
    expect(J3.relativeDrift).toBeLessThan(1e-5);
  });
});
