/*
 * Native baseline for bench/simulate.mjs: Euler–Maruyama paths of the 2D
 * Ornstein–Uhlenbeck process (examples/ou2d.yaml), of the 3-attractor model
 * (paper Eq. 20, examples/attractor3.yaml) and of a dense rate network
 * dx = (−x + W tanh(x)) dt + √(2·0.05) dW with W = {random: normal, scale: 0.3,
 * seed: 3, shape: [N, N]} (drawn here as noether draws it), written as a plain C loop with the
 * same random streams as noether's generated JavaScript: path i uses stream i of
 * the seed (Feistel-derived xoshiro128** state, src/random/rng.ts). Normals come
 * from either
 *   - polar: the Marsaglia polar method using both variates of each pair, the
 *     reference loop of the speed goals (issue 13 defines it so), or
 *   - ziggurat: noether's method (Rng.zigguratNormal(): the same bits and
 *     branches, the tables computed the same way), so that the mean final states
 *     can be compared with noether's. glibc's exp and log round differently from
 *     V8's now and then: r comes out the same, the upper layers' x_k differ by up
 *     to 4e-14 relative, so the normals agree to their last bits (the means to
 *     about 1e-16).
 * W of the network is drawn by the polar method, as noether draws {random: normal}.
 *
 * Build and run (bench/simulate.mjs does this when gcc is available):
 *   gcc -O2 -o /tmp/simulate bench/c/simulate.c -lm
 *   /tmp/simulate ou2d|attractor3 polar|ziggurat PATHS STEPS H X0 Y0 SEED
 *   /tmp/simulate net polar|ziggurat PATHS STEPS H 0 0 SEED N        (from x = 0)
 * Prints "<model> <best ns per step> <mean x(T)> <mean y(T)>" (for net: of x_1, x_2).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RUNS 3

/* Parameters of examples/ou2d.yaml and examples/attractor3.yaml. */
static const double K = 1.0, D_OU = 0.5;
static const double MU0 = 0, A = 0.8, I = 0.4, C = 0.5, N = 0.1, TAU = 1, SIGMA = 0.1;

static uint32_t s0, s1, s2, s3;
static int has_spare;
static double spare;

static inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static inline uint32_t next_u32(void) {
  const uint32_t result = rotl(s1 * 5, 7) * 9;
  const uint32_t t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl(s3, 11);
  return result;
}

static uint32_t fmix32(uint32_t h) {
  h = (h ^ (h >> 16)) * 0x85ebca6bu;
  h = (h ^ (h >> 13)) * 0xc2b2ae35u;
  return h ^ (h >> 16);
}

static const uint32_t KEYS[8] = {0x9e3779b9u, 0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au, 0x510e527fu, 0x9b05688cu, 0x1f83d9abu};

static void stream_init(uint32_t seed, uint32_t stream) {
  uint32_t a = seed, b = stream;
  for (int r = 0; r < 4; r++) {
    a ^= fmix32(b + KEYS[2 * r]);
    b ^= fmix32(a + KEYS[2 * r + 1]);
  }
  s0 = a;
  s1 = b;
  s2 = fmix32(a ^ 0x243f6a88u);
  s3 = fmix32(b + 0x85a308d3u);
  has_spare = 0;
}

/* 2·uniform − 1 with 53 random bits, exactly as Rng.uniform(). */
static inline double signed_uniform(void) {
  const uint32_t hi = next_u32(), lo = next_u32();
  return ((double)(hi >> 5) * 67108864.0 + (double)(lo >> 6)) * 2.220446049250313e-16 - 1.0;
}

static inline double normal_polar(void) {
  if (has_spare) {
    has_spare = 0;
    return spare;
  }
  double u, w, q;
  do {
    u = signed_uniform();
    w = signed_uniform();
    q = u * u + w * w;
  } while (q >= 1 || q == 0);
  const double f = sqrt(-2 * log(q) / q);
  spare = w * f;
  has_spare = 1;
  return u * f;
}

/* Uniform double in [0, 1) with 53 random bits, exactly as Rng.uniform(). */
static inline double uniform(void) {
  const uint32_t hi = next_u32(), lo = next_u32();
  return ((double)(hi >> 5) * 67108864.0 + (double)(lo >> 6)) / 9007199254740992.0;
}

/* The ziggurat of src/random/rng.ts (ziggurat()): 256 layers of area v under
 * exp(−x²/2), x_1 = r, x_{k+1} = √(−2 ln(v/x_k + f(x_k))), x_0 = v/f(r), x_256 = 0,
 * r the root of the top layer's area minus v, bisected to adjacent doubles. */
#define ZIG_LAYERS 256
static double zig_r, zig_x[ZIG_LAYERS + 1], zig_f[ZIG_LAYERS + 1], zig_w[ZIG_LAYERS + 1];

static double density(double x) { return exp(-0.5 * x * x); }

/* ∫_r^∞ exp(−t²/2) dt by Mills' ratio as a continued fraction (gaussianTail in rng.ts). */
static double gaussian_tail(double r) {
  double d = r;
  for (int k = 200; k >= 1; k--) d = r + k / d;
  return exp(-0.5 * r * r) / d;
}

static double zig_layers(double r, double *x) {
  const double v = r * density(r) + gaussian_tail(r);
  x[0] = v / density(r);
  x[1] = r;
  for (int k = 1; k < ZIG_LAYERS - 1; k++) x[k + 1] = sqrt(-2 * log(v / x[k] + density(x[k])));
  x[ZIG_LAYERS] = 0;
  return v;
}

static double zig_closure(double r) {
  double x[ZIG_LAYERS + 1];
  const double v = zig_layers(r, x), top = x[ZIG_LAYERS - 1] * (1 - density(x[ZIG_LAYERS - 1]));
  return isnan(top) ? -INFINITY : top - v;
}

static void zig_init(void) {
  double lo = 3, hi = 4;
  for (double mid = 3.5; mid != lo && mid != hi; mid = 0.5 * (lo + hi)) {
    if (zig_closure(mid) < 0) lo = mid;
    else hi = mid;
  }
  zig_r = fabs(zig_closure(lo)) < fabs(zig_closure(hi)) ? lo : hi;
  zig_layers(zig_r, zig_x);
  for (int k = 0; k <= ZIG_LAYERS; k++) {
    zig_f[k] = density(zig_x[k]);
    zig_w[k] = zig_x[k] * 0x1p-53;
  }
}

/* Rng.zigguratNormal(): layer from the low 8 bits of a, sign from bit 8, a 53-bit
 * abscissa from the other 23 bits of a and the top 30 of b; tail and wedges as there. */
static inline double normal_zig(void) {
  for (;;) {
    const uint32_t a = next_u32(), b = next_u32();
    const int i = a & 255;
    double z = ((double)(a >> 9) * 1073741824.0 + (double)(b >> 2)) * zig_w[i];
    if (z >= zig_x[i + 1]) {
      if (i == 0) {
        double t, e;
        do {
          t = -log(1 - uniform()) / zig_r;
          e = -log(1 - uniform());
        } while (e + e < t * t);
        z = zig_r + t;
      } else if (zig_f[i] + uniform() * (zig_f[i + 1] - zig_f[i]) >= exp(-0.5 * z * z)) continue;
    }
    return z * (1.0 - (double)((a >> 7) & 2)); /* ±1 from bit 8 without a branch, as in rng.ts */
  }
}

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* The normals of one run: `zig` is a compile-time constant at each call site. */
static inline __attribute__((always_inline)) double normal(const int zig) { return zig ? normal_zig() : normal_polar(); }

/* One run over all paths; `attractor` and `zig` are compile-time constants at each call site (the loop is specialised). */
static inline __attribute__((always_inline)) void run_paths(const int attractor, const int zig, long paths, long steps, double h, double x0, double y0, uint32_t seed,
                                                           double gsq, double *mx, double *my) {
  double sx = 0, sy = 0;
  for (long p = 0; p < paths; p++) {
    stream_init(seed, (uint32_t)p);
    double x = x0, y = y0;
    for (long k = 0; k < steps; k++) {
      double fx, fy;
      if (attractor) {
        const double tx = tanh((x - C) / N), ty = tanh((y - C) / N);
        fx = (MU0 + A / 2 * (tx + 1) - I / 2 * (ty + 1) - x) / TAU;
        fy = (MU0 + A / 2 * (ty + 1) - I / 2 * (tx + 1) - y) / TAU;
      } else {
        fx = -K * x;
        fy = -K * y;
      }
      const double w0 = normal(zig) * gsq, w1 = normal(zig) * gsq;
      x += fx * h + w0;
      y += fy * h + w1;
    }
    sx += x;
    sy += y;
  }
  *mx = sx / paths;
  *my = sy / paths;
}

/* The generator of `new Rng(seed)` (src/random/rng.ts): four splitmix32 words. */
static void seed_init(uint32_t seed) {
  uint32_t x = seed, *words[4] = {&s0, &s1, &s2, &s3};
  for (int i = 0; i < 4; i++) {
    x += 0x9e3779b9u;
    *words[i] = fmix32(x);
  }
  if ((s0 | s1 | s2 | s3) == 0) s0 = 1;
  has_spare = 0;
}

/* The dense network: per step tanh of every unit, one matrix–vector product, N normals. */
static inline __attribute__((always_inline)) void run_net(const int zig, int n, const double *W, long paths, long steps, double h, uint32_t seed, double gsq, double *m1, double *m2) {
  double *x = calloc(n, sizeof *x), *t = calloc(n, sizeof *t), *f = calloc(n, sizeof *f);
  double a = 0, b = 0;
  for (long p = 0; p < paths; p++) {
    stream_init(seed, (uint32_t)p);
    memset(x, 0, n * sizeof *x);
    for (long k = 0; k < steps; k++) {
      for (int j = 0; j < n; j++) t[j] = tanh(x[j]);
      for (int i = 0; i < n; i++) {
        double s = -x[i];
        for (int j = 0; j < n; j++) s += W[i * n + j] * t[j];
        f[i] = s;
      }
      for (int i = 0; i < n; i++) x[i] += f[i] * h + normal(zig) * gsq;
    }
    a += x[0];
    b += x[1];
  }
  *m1 = a / paths;
  *m2 = b / paths;
  free(x);
  free(t);
  free(f);
}

int main(int argc, char **argv) {
  if (argc < 9 || (strcmp(argv[2], "polar") != 0 && strcmp(argv[2], "ziggurat") != 0)) {
    fprintf(stderr, "usage: %s ou2d|attractor3|net polar|ziggurat PATHS STEPS H X0 Y0 SEED [N]\n", argv[0]);
    return 2;
  }
  const int zig = strcmp(argv[2], "ziggurat") == 0;
  zig_init();
  const long paths = atol(argv[3]), steps = atol(argv[4]);
  const double h = atof(argv[5]);
  const uint32_t seed = (uint32_t)strtoul(argv[8], NULL, 10);
  if (strcmp(argv[1], "net") == 0) {
    const int n = argc > 9 ? atoi(argv[9]) : 0;
    if (n < 2) {
      fprintf(stderr, "net needs N >= 2 (the 9th argument)\n");
      return 2;
    }
    double *W = malloc((size_t)n * n * sizeof *W);
    seed_init(3);
    for (int i = 0; i < n * n; i++) W[i] = 0.3 * normal_polar();
    const double gsq = sqrt(2 * 0.05) * sqrt(h);
    double best = INFINITY, m1 = 0, m2 = 0;
    for (int run = 0; run < RUNS; run++) {
      const double t0 = now_ns();
      if (zig) run_net(1, n, W, paths, steps, h, seed, gsq, &m1, &m2);
      else run_net(0, n, W, paths, steps, h, seed, gsq, &m1, &m2);
      const double dt = (now_ns() - t0) / ((double)paths * steps);
      if (dt < best) best = dt;
    }
    printf("net %.3f %.17g %.17g\n", best, m1, m2);
    free(W);
    return 0;
  }
  const int attractor = strcmp(argv[1], "attractor3") == 0;
  const double x0 = atof(argv[6]), y0 = atof(argv[7]);
  /* G = √(2D)·I: OU D = 0.5; attractor D = σ²/τ. */
  const double g = attractor ? sqrt(2 * SIGMA * SIGMA / TAU) : sqrt(2 * D_OU);
  const double gsq = g * sqrt(h);
  double best = INFINITY, mx = 0, my = 0;
  for (int run = 0; run < RUNS; run++) {
    const double t0 = now_ns();
    if (attractor && zig) run_paths(1, 1, paths, steps, h, x0, y0, seed, gsq, &mx, &my);
    else if (attractor) run_paths(1, 0, paths, steps, h, x0, y0, seed, gsq, &mx, &my);
    else if (zig) run_paths(0, 1, paths, steps, h, x0, y0, seed, gsq, &mx, &my);
    else run_paths(0, 0, paths, steps, h, x0, y0, seed, gsq, &mx, &my);
    const double dt = (now_ns() - t0) / ((double)paths * steps);
    if (dt < best) best = dt;
  }
  printf("%s %.3f %.17g %.17g\n", argv[1], best, mx, my);
  return 0;
}
