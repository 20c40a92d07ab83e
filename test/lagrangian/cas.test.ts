// The Lagrangian stage against fixtures computed independently by SymPy
// (test/fixtures/cas/generate.py): L, p, E, ẍ at (x, ẋ, t) and H, Hamilton's
// equations at (x, p, t), for nine models including state-dependent and full noise.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/expr/evaluate.ts';
import type { Expr } from '../../src/expr/expr.ts';
import { type ActionKind, buildLagrangian, equationsOfMotion } from '../../src/lagrangian/lagrangian.ts';
import { loadModelFile } from '../../src/model/file.ts';

interface Point {
  x: number[]; xdot: number[]; t: number; p: number[];
  L: number; momentum: number[]; E: number; H: number; xddot: number[]; hamilton_xdot: number[]; hamilton_pdot: number[];
}
interface Entry { file: string; name: string; variant: ActionKind; state: string[]; points: Point[] }

const dir = join(import.meta.dirname, '..', 'fixtures', 'cas');
const fixtures = JSON.parse(readFileSync(join(dir, 'lagrangian.json'), 'utf8')) as { models: Entry[] };

function close(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(expected)));
}

describe('Lagrangian stage vs SymPy fixtures', () => {
  it('covers at least five models with state-dependent and full noise', () => {
    const names = new Set(fixtures.models.map((m) => m.name));
    expect(names.size).toBeGreaterThanOrEqual(5);
    expect(names).toContain('multiplicative1d');
    expect(names).toContain('fullnoise2x3');
  });

  for (const entry of fixtures.models) {
    it(`${entry.name} (${entry.variant})`, () => {
      const model = loadModelFile(join(dir, entry.file));
      const r = buildLagrangian(model, entry.variant);
      const eom = equationsOfMotion(r);
      const params = model.params.map((p): [string, number] => [p.name, p.value]);
      for (const pt of entry.points) {
        const atX = new Map<string, number>([...params, ['t', pt.t]]);
        entry.state.forEach((s, i) => {
          atX.set(s, pt.x[i]);
          atX.set(`${s}_dot`, pt.xdot[i]);
        });
        const atP = new Map<string, number>([...params, ['t', pt.t]]);
        entry.state.forEach((s, i) => {
          atP.set(s, pt.x[i]);
          atP.set(`p_${s}`, pt.p[i]);
        });
        const ev = (e: Expr, at: Map<string, number>): number => evaluate(e, at);
        close(ev(r.lagrangian, atX), pt.L, 'L');
        close(ev(r.energy, atX), pt.E, 'E');
        r.momenta.forEach((p, i) => close(ev(p, atX), pt.momentum[i], `p[${i}]`));
        eom.accelerations.forEach((a, i) => close(ev(a, atX), pt.xddot[i], `xddot[${i}]`));
        close(ev(r.hamiltonian, atP), pt.H, 'H');
        eom.hamilton.xdot.forEach((a, i) => close(ev(a, atP), pt.hamilton_xdot[i], `dH/dp[${i}]`));
        eom.hamilton.pdot.forEach((a, i) => close(ev(a, atP), pt.hamilton_pdot[i], `-dH/dx[${i}]`));
      }
    });
  }
});
