// A rule with thousands of generators on a large network (the N(N − 1)/2 plane
// rotations) is left to discovery when discovery is on, with the reason in the
// rules report; with discovery off, every generator is still tested.
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/api/analyzer.ts';
import type { ModelSpec } from '../../src/model/types.ts';

/** 92 units: 4186 plane rotations, past the limit of 4096. */
const network = (n: number): ModelSpec => ({ name: `tanh${n}`, state: { x: n }, params: { D: 0.05 }, drift: '-x + tanh(x)', diffusion: 'D' });

describe('rule instance limit', () => {
  it('92 units: the rotations are skipped with the reason, discovery still finds the whole algebra', () => {
    const d = createAnalyzer(network(92)).derivation();
    const skipped = d.rules.find((r) => r.status === 'skipped' && r.rule === 'rotation');
    expect(skipped?.reason).toMatch(/its 4186 generators \(more than 4096\) are not tested one by one/);
    expect(d.symmetries.some((s) => s.rule === 'rotation')).toBe(false);
    expect(d.symmetries.filter((s) => s.rule === 'translation')).toHaveLength(92);
    // f = −x + tanh(x) elementwise: only time translation survives; the algebra says it is complete.
    expect([d.algebra?.dimension, d.algebra?.complete]).toEqual([1, true]);
  }, 120_000);

  it('91 units (4095 rotations) are tested one by one, as are the 4186 of 92 units without discovery', () => {
    const tested = createAnalyzer(network(91)).derivation();
    expect(tested.symmetries.filter((s) => s.rule === 'rotation')).toHaveLength(4095);
    expect(tested.symmetries.filter((s) => s.rule === 'rotation').every((s) => s.status === 'broken' && s.counterexample)).toBe(true);
    const rulesOnly = createAnalyzer(network(92), { discover: false }).derivation();
    expect(rulesOnly.symmetries.filter((s) => s.rule === 'rotation')).toHaveLength(4186);
  }, 240_000);
});
