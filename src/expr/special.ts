/**
 * Double-precision special functions: modified Bessel functions I0, I1 (plain
 * and exponentially scaled) and the error functions erf, erfc.
 *
 * Methods and sources of the coefficients:
 * - Bessel, |x| <= 8: the power series (no tabulated coefficients).
 * - Bessel, |x| > 8: Chebyshev expansions of exp(-x) sqrt(x) I(x) in the
 *   variable 32/x - 2 from the Cephes Math Library (S. L. Moshier, i0.c and
 *   i1.c, release 2.8, arrays B).
 * - erf/erfc: Sun fdlibm s_erf.c (1993), rational approximations on
 *   [0, 0.84375], [0.84375, 1.25], [1.25, 1/0.35], [1/0.35, 28].
 *
 * Why not the npm `bessel` package: it agrees with high-precision reference
 * values only to ~1e-8 relative, has no scaled variants, and overflows past
 * x ≈ 710 although I0 stays finite up to x ≈ 713.98. Callers here need ratios
 * such as I1(z)/I0(z) for z up to 1e4 and beyond, which only the scaled
 * functions below can provide.
 *
 * Reference values: test/fixtures/special/generate.py (mpmath, 50 digits).
 */

/**
 * Every function and table lives inside this factory so that its source text
 * (specialFunctions.toString()) is self-contained: generated simulation loops
 * run it in worker threads started from a string (src/simulate), and so share
 * this one implementation instead of a transcription.
 */
export function specialFunctions() {
  /** Chebyshev coefficients for exp(-x) sqrt(x) I0(x) on (8, inf) (Cephes i0.c, B). */
  const I0_B = [
    -7.23318048787475395456e-18, -4.83050448594418207126e-18, 4.46562142029675999901e-17,
    3.4612228676974610931e-17, -2.82762398051658348494e-16, -3.42548561967721913462e-16,
    1.7725601330565263836e-15, 3.81168066935262242075e-15, -9.5548466988283076487e-15,
    -4.15056934728722208663e-14, 1.54008621752140982691e-14, 3.85277838274214270114e-13,
    7.18012445138366623367e-13, -1.79417853150680611778e-12, -1.32158118404477131188e-11,
    -3.14991652796324136454e-11, 1.18891471078464383424e-11, 4.9406023882249695891e-10,
    3.39623202570838634515e-9, 2.26666899049817806459e-8, 2.04891858946906374183e-7,
    2.89137052083475648297e-6, 6.88975834691682398426e-5, 3.3691164782556940899e-3,
    8.04490411014108831608e-1,
  ];

  /** Chebyshev coefficients for exp(-x) sqrt(x) I1(x) on (8, inf) (Cephes i1.c, B). */
  const I1_B = [
    7.51729631084210481353e-18, 4.41434832307170791151e-18, -4.65030536848935832153e-17,
    -3.2095259219934239598e-17, 2.96262899764595013876e-16, 3.30820231092092828324e-16,
    -1.88035477551078244854e-15, -3.81440307243700780478e-15, 1.04202769841288027642e-14,
    4.27244001671195135429e-14, -2.10154184277266431302e-14, -4.08355111109219731823e-13,
    -7.19855177624590851209e-13, 2.03562854414708950722e-12, 1.41258074366137813316e-11,
    3.25260358301548823856e-11, -1.8974958123505412345e-11, -5.58974346219658380687e-10,
    -3.83538038596423702205e-9, -2.63146884688951950684e-8, -2.51223623787020892529e-7,
    -3.88256480887769039346e-6, -1.10588938762623716291e-4, -9.76109749136146840777e-3,
    7.78576235018280120474e-1,
  ];

  /**
   * Clenshaw sum of a Chebyshev series at t in [-2, 2], coefficients highest
   * order first, with the Cephes convention sum' c_k T_k(t/2) (first term halved).
   */
  function chbevl(t: number, coeffs: readonly number[]): number {
    let b0 = coeffs[0];
    let b1 = 0;
    let b2 = 0;
    for (let i = 1; i < coeffs.length; i++) {
      b2 = b1;
      b1 = b0;
      b0 = t * b1 - b2 + coeffs[i];
    }
    return 0.5 * (b0 - b2);
  }

  /**
   * I_n(a) for n = 0, 1 and 0 <= a <= 8 from the power series
   * (a/2)^n sum_k q^k / (k! (k+n)!), q = a^2/4, evaluated in nested form. All
   * terms are positive, so the relative error stays below ~7e-16, whereas
   * Cephes' Chebyshev expansion on [0, 8] (arrays A) reaches ~1.9e-15 for I1
   * near a = 7.7 through cancellation in the Clenshaw sum.
   * At a = 8 the first omitted term (k = 23) is below 2e-20 of the sum.
   */
  function powerSeries(n: 0 | 1, a: number): number {
    const q = (a * a) / 4;
    let r = 1;
    for (let k = 22; k >= 1; k--) r = 1 + (q / (k * (k + n))) * r;
    return n === 0 ? r : (a / 2) * r;
  }

  /** exp(-a) I_n(a) for a > 8 (or NaN) from a Cephes B expansion; 0 at a = Infinity. */
  function largeScaled(a: number, coeffs: readonly number[]): number {
    return chbevl(32 / a - 2, coeffs) / Math.sqrt(a);
  }

  /**
   * scaled * exp(a) for a >= 0. Math.exp overflows for a > 709.78 while
   * I0(a), I1(a) stay finite up to a ≈ 713.98, so split exp(a) into two halves
   * there; the product overflows to Infinity only when the true value does.
   */
  function unscale(scaled: number, a: number): number {
    if (a === Infinity) return Infinity; // avoids 0 * Infinity = NaN
    if (a <= 709) return scaled * Math.exp(a);
    const half = Math.exp(a / 2);
    return scaled * half * half;
  }

  /** Modified Bessel function of the first kind, order 0 (even). */
  function besselI0(x: number): number {
    const a = Math.abs(x);
    return a <= 8 ? powerSeries(0, a) : unscale(largeScaled(a, I0_B), a);
  }

  /** Modified Bessel function of the first kind, order 1 (odd). */
  function besselI1(x: number): number {
    const a = Math.abs(x);
    // Math.sign keeps I1(-0) = -0 and propagates NaN.
    return Math.sign(x) * (a <= 8 ? powerSeries(1, a) : unscale(largeScaled(a, I1_B), a));
  }

  /** Exponentially scaled I0: exp(-|x|) I0(x); finite for every finite x, 0 at ±Infinity. */
  function besselI0e(x: number): number {
    const a = Math.abs(x);
    return a <= 8 ? powerSeries(0, a) * Math.exp(-a) : largeScaled(a, I0_B);
  }

  /** Exponentially scaled I1: exp(-|x|) I1(x) (odd); finite for every finite x. */
  function besselI1e(x: number): number {
    const a = Math.abs(x);
    return Math.sign(x) * (a <= 8 ? powerSeries(1, a) * Math.exp(-a) : largeScaled(a, I1_B));
  }

  // fdlibm s_erf.c constants. erx = erf(1) rounded to single precision.
  const ERX = 8.45062911510467529297e-1;
  const EFX8 = 1.02703333676410069053; // 8 * (2/sqrt(pi) - 1)

  // erf(x) = x + x*P/Q on [0, 0.84375].
  const PP = [
    1.28379167095512558561e-1, -3.2504210724700149937e-1, -2.84817495755985104766e-2,
    -5.77027029648944159157e-3, -2.37630166566501626084e-5,
  ];
  const QQ = [
    1, 3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3,
    1.32494738004321644526e-4, -3.9602282787753681232e-6,
  ];
  // erf(1 + s) = erx + P/Q on [0.84375, 1.25].
  const PA = [
    -2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1,
    3.18346619901161753674e-1, -1.10894694282396677476e-1, 3.54783043256182359371e-2,
    -2.166375594868790843e-3,
  ];
  const QA = [
    1, 1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2,
    1.26171219808761642112e-1, 1.36370839120290507362e-2, 1.1984499846799107417e-2,
  ];
  // erfc(x) = exp(-x*x - 0.5625 + R/S) / x on [1.25, 1/0.35], in s = 1/x^2.
  const RA = [
    -9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1,
    -6.23753324503260060396e1, -1.62396669462573470355e2, -1.84605092906711035994e2,
    -8.12874355063065934246e1, -9.81432934416914548592,
  ];
  const SA = [
    1, 1.96512716674392571292e1, 1.376577541435190426e2, 4.34565877475229228821e2,
    6.45387271733267880336e2, 4.29008140027567833386e2, 1.08635005541779435134e2,
    6.57024977031928170135, -6.04244152148580987438e-2,
  ];
  // Same form on [1/0.35, 28].
  const RB = [
    -9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1,
    -1.60636384855821916062e2, -6.37566443368389627722e2, -1.02509513161107724954e3,
    -4.83519191608651397019e2,
  ];
  const SB = [
    1, 3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3,
    3.19985821950859553908e3, 2.55305040643316442583e3, 4.74528541206955367215e2,
    -2.24409524465858183362e1,
  ];

  /** Horner evaluation, coefficients lowest order first. */
  function poly(t: number, coeffs: readonly number[]): number {
    let r = coeffs[coeffs.length - 1];
    for (let i = coeffs.length - 2; i >= 0; i--) r = r * t + coeffs[i];
    return r;
  }

  /** erf(a) - ERX for a in [0.84375, 1.25]. */
  function erfNearOne(a: number): number {
    const s = a - 1;
    return poly(s, PA) / poly(s, QA);
  }

  /** erfc(a) for a in [1.25, 28). */
  function erfcTail(a: number): number {
    const s = 1 / (a * a);
    const rs = a < 1 / 0.35 ? poly(s, RA) / poly(s, SA) : poly(s, RB) / poly(s, SB);
    // Rounding a*a would cost a relative error of up to a^2 * 2^-53 (~1e-13 at
    // a = 27). With z = a rounded to single precision, -z*z - 0.5625 is exact and
    // the small correction (z - a)*(z + a) goes into a second exp.
    const z = Math.fround(a);
    return (Math.exp(-z * z - 0.5625) * Math.exp((z - a) * (z + a) + rs)) / a;
  }

  /** Error function. */
  function erf(x: number): number {
    if (Number.isNaN(x)) return x;
    const a = Math.abs(x);
    if (a < 0.84375) {
      // Scaling by 8 keeps the tiny-x path accurate for subnormal x.
      if (a < 2 ** -28) return 0.125 * (8 * x + EFX8 * x);
      const z = x * x;
      return x + x * (poly(z, PP) / poly(z, QQ));
    }
    let r: number;
    if (a < 1.25) r = ERX + erfNearOne(a);
    else if (a < 6) r = 1 - erfcTail(a);
    else r = 1; // 1 - erfc(6) rounds to 1
    return x < 0 ? -r : r;
  }

  /** Complementary error function 1 - erf(x), accurate in the right tail. */
  function erfc(x: number): number {
    if (Number.isNaN(x)) return x;
    const a = Math.abs(x);
    if (a < 0.84375) {
      if (a < 2 ** -56) return 1 - x;
      const z = x * x;
      const y = poly(z, PP) / poly(z, QQ);
      // Above 1/4, subtract from 1/2 instead of 1 to avoid cancellation.
      if (x < 0.25) return 1 - (x + x * y);
      return 0.5 - (x * y + (x - 0.5));
    }
    if (a < 1.25) {
      const p = erfNearOne(a);
      return x > 0 ? 1 - ERX - p : 1 + (ERX + p);
    }
    if (x > 0) return x < 28 ? erfcTail(x) : 0; // erfc(28) ≈ 6e-343 underflows
    return a < 6 ? 2 - erfcTail(a) : 2;
  }

  return Object.freeze({ besselI0, besselI1, besselI0e, besselI1e, erf, erfc });
}

export const { besselI0, besselI1, besselI0e, besselI1e, erf, erfc } = specialFunctions();
