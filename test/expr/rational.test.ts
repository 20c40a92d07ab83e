import { describe, expect, it } from 'vitest';
import { Rational, gcd } from '../../src/expr/rational.ts';
import { Rng } from '../../src/random/rng.ts';

describe('Rational', () => {
  it('reduces and normalises the sign', () => {
    expect(Rational.of(6, -4).toString()).toBe('-3/2');
    expect(Rational.of(0, -5).toString()).toBe('0');
  });
  it('reads decimals exactly', () => {
    expect(Rational.parseDecimal('0.1')?.toString()).toBe('1/10');
    expect(Rational.parseDecimal('.25')?.toString()).toBe('1/4');
    expect(Rational.parseDecimal('3e-4')?.toString()).toBe('3/10000');
    expect(Rational.parseDecimal('1.5E+3')?.toString()).toBe('1500');
    expect(Rational.parseDecimal('abc')).toBeUndefined();
    expect(Rational.parseDecimal('.')).toBeUndefined();
  });
  it('takes the decimal a person meant from a double', () => {
    expect(Rational.fromNumber(0.1).toString()).toBe('1/10');
    expect(Rational.fromNumber(-2.5e-7).toString()).toBe('-1/4000000');
    expect(() => Rational.fromNumber(Infinity)).toThrow();
  });
  it('does exact arithmetic', () => {
    const a = Rational.of(1, 3);
    const b = Rational.of(1, 6);
    expect(a.add(b).toString()).toBe('1/2');
    expect(a.sub(b).toString()).toBe('1/6');
    expect(a.mul(b).toString()).toBe('1/18');
    expect(a.div(b).toString()).toBe('2');
    expect(Rational.of(2, 3).pow(-2n).toString()).toBe('9/4');
    expect(() => Rational.ZERO.pow(-1n)).toThrow(RangeError);
  });
  it('finds exact roots only when they exist', () => {
    expect(Rational.of(9, 4).root(2n)?.toString()).toBe('3/2');
    expect(Rational.of(-8).root(3n)?.toString()).toBe('-2');
    expect(Rational.of(2).root(2n)).toBeUndefined();
    expect(Rational.of(-4).root(2n)).toBeUndefined();
  });
  it('converts huge numerators and denominators to the nearest double', () => {
    const big = Rational.of(10n ** 400n + 1n, 3n * 10n ** 399n);
    expect(big.toNumber()).toBeCloseTo(10 / 3, 14);
    expect(Rational.of(1n, 10n ** 320n).toNumber()).toBe(1e-320);
    expect(Rational.of(7n * 10n ** 300n, 1n).toNumber()).toBe(7e300);
  });
  it('floors toward minus infinity', () => {
    expect(Rational.of(-3, 2).floor()).toBe(-2n);
    expect(Rational.of(3, 2).floor()).toBe(1n);
  });
});

describe('gcd', () => {
  it('agrees with plain Euclid on bigints below, across and above 2⁵³', () => {
    const euclid = (a: bigint, b: bigint): bigint => (b === 0n ? a : euclid(b, a % b));
    const rng = new Rng(5);
    const big = (bits: number): bigint => BigInt.asUintN(bits, BigInt(Math.floor(rng.uniform() * 2 ** 32)) * 2n ** 32n + BigInt(Math.floor(rng.uniform() * 2 ** 32)) + BigInt(Math.floor(rng.uniform() * 2 ** 20)) * 2n ** 64n);
    for (let i = 0; i < 2000; i++) {
      const common = big(1 + (i % 40));
      const [a, b] = [big(1 + (i % 84)) * common, big(1 + ((i * 7) % 84)) * common];
      expect(gcd(a, b), `${a}, ${b}`).toBe(euclid(a, b));
    }
    expect(gcd(0n, 0n)).toBe(0n);
    expect(gcd(0n, 12n)).toBe(12n);
    expect(gcd(2n ** 60n, 2n ** 55n * 3n)).toBe(2n ** 55n);
    expect(gcd(9007199254740993n * 3n, 9007199254740993n * 5n)).toBe(9007199254740993n);
  });
});

