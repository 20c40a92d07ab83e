// Charges of exact symmetries with τ = 0 as p·ξ (issue 13, item 3: J_Ω = pᵀΩx for a
// network's rotations), next to their components: the two agree once p = ∂L/∂ẋ is
// put in (evaluated independently with mathjs at seeded points); text prints the
// short form for long charges, --components the components; other charges have none.
import { evaluate } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/index.ts';
import { formatDerivation } from '../../src/format/derivation.ts';
import { readModelFile } from '../../src/model/file.ts';
import { Rng } from '../../src/random/rng.ts';
import { runCli } from '../helpers/cli.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** W = R(θ) ⊕ R(θ) ⊕ R(θ) scaled: time ⊕ u(3), with rotations found beyond the rules. */
const W = Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (_, j) => (i === j ? 1.5 : i >> 1 === j >> 1 ? (i % 2 === 0 ? -0.5 : 0.5) : 0)));
const radial = { name: 'radial6', state: { x: 6 }, params: { W, D: 0.05 }, drift: '-x + tanh(norm(x))*(W*x)/norm(x)', diffusion: 'D' };

describe('charges as p·ξ', () => {
  const analyzer = createAnalyzer(radial as never);
  const d = analyzer.derivation();
  const momenta = analyzer.lagrangian().momenta;

  it('equal their components once p = ∂L/∂ẋ is put in (mathjs, 5 seeded points)', () => {
    const withForm = d.symmetries.filter((s) => s.quantity?.momentum);
    // Time translation has τ = 1; the 3 rule rotations and 6 discovered ones have p·ξ.
    expect(withForm.length).toBe(9);
    expect(d.symmetries.find((s) => s.rule === 'time')?.quantity?.momentum).toBeNull();
    const rng = new Rng(8);
    for (let k = 0; k < 5; k++) {
      const scope: Record<string, number> = { D: 0.05 };
      for (let i = 1; i <= 6; i++) {
        scope[`x_${i}`] = rng.between(-1.5, 1.5);
        scope[`x_${i}_dot`] = rng.between(-1, 1);
      }
      for (const p of momenta) scope[p.name] = evaluate(p.expr, { ...scope }) as number;
      for (const s of withForm) {
        const q = s.quantity as NonNullable<typeof s.quantity>;
        const short = evaluate(q.momentum?.expr as string, { ...scope }) as number;
        const full = evaluate(q.expr, { ...scope }) as number;
        expect(Math.abs(short - full), `${q.symbol}: ${q.momentum?.expr}`).toBeLessThan(1e-9 * (1 + Math.abs(full)));
      }
    }
  });

  it('text prints long ones as p·ξ with a note, and --components prints them all in x, ẋ and t', () => {
    const text = formatDerivation(d, 'text');
    expect(text).toContain('J_5 = p_x_1*x_4 - p_x_2*x_3 + p_x_3*x_2 - p_x_4*x_1    (Noether charge;');
    expect(text).toMatch(/9 charges are written as p·ξ, with p = ∂L\/∂ẋ/);
    const full = formatDerivation(d, 'text', { components: true });
    expect(full).not.toContain('p_x_1*x_4');
    expect(full).not.toContain('written as p·ξ');
    expect(full).toContain(`J_5 = ${d.symmetries.find((s) => s.quantity?.symbol === 'J_5')?.quantity?.expr}`);
  });

  it('leaves short charges as they are (2D OU: L_xy in x, ẋ), and derive --components runs from the command line', async () => {
    const ou = createAnalyzer(readModelFile('examples/ou2d.yaml')).derivation();
    expect(formatDerivation(ou, 'text')).toContain('L_xy = (x*y_dot - x_dot*y)/(2*D)');
    const dir = mkdtempSync(join(tmpdir(), 'noether-momentum-'));
    try {
      const file = join(dir, 'radial6.yaml');
      writeFileSync(file, JSON.stringify(radial));
      const r = await runCli(['derive', file, '--components']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('J_5 = ');
      expect(r.stdout).not.toContain('written as p·ξ');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
