// Exact rational numbers on bigint. Every literal in a user expression is a
// decimal, so it is exactly a rational: keeping it exact lets normal forms and
// zero tests decide identities such as 0.1*x*3 - 0.3*x = 0 without rounding.

export class Rational {
  /** Reduced, with `den > 0`. Use the factory functions, not the constructor. */
  private constructor(
    readonly num: bigint,
    readonly den: bigint,
  ) {}

  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);
  static readonly MINUS_ONE = new Rational(-1n, 1n);

  static of(num: bigint | number, den: bigint | number = 1n): Rational {
    let n = BigInt(num);
    let d = BigInt(den);
    if (d === 0n) throw new RangeError('rational with zero denominator');
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    const g = gcd(n < 0n ? -n : n, d);
    return g === 1n ? new Rational(n, d) : new Rational(n / g, d / g);
  }

  /** Parses a decimal literal such as `12`, `0.5`, `.25`, `3e-4`, `1.5E+10` exactly. */
  static parseDecimal(text: string): Rational | undefined {
    const m = /^([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(text);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) return undefined;
    const intPart = m[1] ?? '';
    const frac = m[2] ?? '';
    const exp = m[3] === undefined ? 0 : Number(m[3]);
    if (!Number.isSafeInteger(exp) || Math.abs(exp) > 10000) return undefined;
    const digits = BigInt((intPart + frac).replace(/^0+(?=.)/, '') || '0');
    const scale = exp - frac.length;
    return scale >= 0 ? Rational.of(digits * 10n ** BigInt(scale)) : Rational.of(digits, 10n ** BigInt(-scale));
  }

  /**
   * The rational a person meant by a double: its shortest round-trip decimal
   * (0.1 → 1/10, not the binary value 3602879701896397/36028797018963968).
   */
  static fromNumber(x: number): Rational {
    if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
    const text = String(Math.abs(x));
    const r = Rational.parseDecimal(text);
    if (!r) throw new RangeError(`cannot read ${x} as a decimal`);
    return x < 0 ? r.neg() : r;
  }

  isZero(): boolean {
    return this.num === 0n;
  }
  isOne(): boolean {
    return this.num === 1n && this.den === 1n;
  }
  isInteger(): boolean {
    return this.den === 1n;
  }
  sign(): -1 | 0 | 1 {
    return this.num < 0n ? -1 : this.num > 0n ? 1 : 0;
  }

  neg(): Rational {
    return new Rational(-this.num, this.den);
  }
  abs(): Rational {
    return this.num < 0n ? this.neg() : this;
  }
  add(o: Rational): Rational {
    return Rational.of(this.num * o.den + o.num * this.den, this.den * o.den);
  }
  sub(o: Rational): Rational {
    return this.add(o.neg());
  }
  mul(o: Rational): Rational {
    return Rational.of(this.num * o.num, this.den * o.den);
  }
  div(o: Rational): Rational {
    if (o.num === 0n) throw new RangeError('division by zero');
    return Rational.of(this.num * o.den, this.den * o.num);
  }
  /** Integer power; `exponent` must be an integer. */
  pow(exponent: bigint): Rational {
    if (exponent >= 0n) return new Rational(this.num ** exponent, this.den ** exponent);
    if (this.num === 0n) throw new RangeError('division by zero');
    return Rational.of(this.den ** -exponent, this.num ** -exponent);
  }
  /** Exact q-th root if it exists (q >= 2), else undefined. */
  root(q: bigint): Rational | undefined {
    if (this.num < 0n && q % 2n === 0n) return undefined;
    const n = intRoot(this.num < 0n ? -this.num : this.num, q);
    const d = intRoot(this.den, q);
    if (n === undefined || d === undefined) return undefined;
    return Rational.of(this.num < 0n ? -n : n, d);
  }
  /** Floor as a bigint. */
  floor(): bigint {
    const q = this.num / this.den;
    return this.num < 0n && q * this.den !== this.num ? q - 1n : q;
  }

  compare(o: Rational): -1 | 0 | 1 {
    const d = this.num * o.den - o.num * this.den;
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }
  equals(o: Rational): boolean {
    return this.num === o.num && this.den === o.den;
  }

  /** Nearest double (to about 1 ulp), also when numerator or denominator exceed the double range. */
  toNumber(): number {
    if (this.num === 0n) return 0;
    if (abs(this.num) < 2n ** 53n && this.den < 2n ** 53n) return Number(this.num) / Number(this.den);
    // Scale the quotient to about 64 significant bits, then undo the scaling in two steps
    // so that neither factor overflows on its own.
    const shift = bitLength(this.den) - bitLength(this.num) + 64;
    const q = shift >= 0 ? (this.num << BigInt(shift)) / this.den : this.num / (this.den << BigInt(-shift));
    const half = Math.trunc(shift / 2);
    return Number(q) * 2 ** -half * 2 ** -(shift - half);
  }

  toString(): string {
    return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`;
  }
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Greatest common divisor of a, b ≥ 0 (gcd(a, 0) = a). */
export function gcd(a: bigint, b: bigint): bigint {
  if (a === 1n || b === 1n) return 1n;
  while (a > SAFE || b > SAFE) {
    if (b === 0n) return a;
    [a, b] = [b, a % b];
  }
  // Below 2⁵³ the remainders are exact in doubles, and far cheaper than bigint division.
  let x = Number(a);
  let y = Number(b);
  while (y !== 0) [x, y] = [y, x % y];
  return BigInt(x);
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

function bitLength(x: bigint): number {
  return abs(x).toString(2).length;
}

/** Exact integer q-th root of a non-negative bigint, or undefined. */
function intRoot(x: bigint, q: bigint): bigint | undefined {
  if (x < 2n) return x;
  // Newton iteration from a float estimate, then exact correction.
  let r = BigInt(Math.round(Number(x) ** (1 / Number(q))));
  if (r < 1n) r = 1n;
  for (let i = 0; i < 200; i++) {
    const rq1 = r ** (q - 1n);
    const next = ((q - 1n) * r + x / rq1) / q;
    if (next === r || next === r + 1n || next === r - 1n) {
      for (const c of [next - 1n, next, next + 1n]) if (c >= 0n && c ** q === x) return c;
      return undefined;
    }
    r = next;
  }
  return undefined;
}
