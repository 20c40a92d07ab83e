// Seeded random expression trees for property tests.
import { type Expr, FUNCTIONS, add, call, div, mul, num, pow, sub, sym } from '../../src/expr/expr.ts';
import { Rational } from '../../src/expr/rational.ts';
import { Rng } from '../../src/random/rng.ts';

export function randomExpr(rng: Rng, symbols: readonly string[], depth: number, functions: readonly string[] = FUNCTIONS): Expr {
  const r = rng.uniform();
  if (depth <= 0 || r < 0.2) {
    return rng.uniform() < 0.6
      ? sym(symbols[Math.floor(rng.uniform() * symbols.length)])
      : num(Rational.of(Math.floor(rng.uniform() * 9) - 4 || 1, Math.floor(rng.uniform() * 3) + 1));
  }
  const a = (): Expr => randomExpr(rng, symbols, depth - 1, functions);
  if (r < 0.4) return add(a(), a());
  if (r < 0.55) return sub(a(), a());
  if (r < 0.75) return mul(a(), a());
  if (r < 0.8) return div(a(), add(num(2), pow(a(), num(2))));
  if (r < 0.88) return pow(a(), num(Math.floor(rng.uniform() * 3) + 1));
  const fn = functions[Math.floor(rng.uniform() * functions.length)] as (typeof FUNCTIONS)[number];
  // Keep arguments in every function's domain.
  const inner = a();
  if (fn === 'log') return call('log', add(num(2), pow(inner, num(2))));
  if (fn === 'besselI0' || fn === 'besselI1') return call(fn, inner);
  return call(fn, inner);
}
