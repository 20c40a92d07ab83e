/*
 * Native baseline for bench/kernels.mjs: the drift of the 3-attractor model
 * (paper Eq. 20, examples/attractor3.yaml) and of the 2D Ornstein–Uhlenbeck
 * process (examples/ou2d.yaml), hand-written in C, evaluated on the same 1024
 * input points as the JavaScript benchmark, cycled N times.
 *
 * Build and run (bench/kernels.mjs does this when a C compiler is available):
 *   cc -O2 -o /tmp/drift bench/c/drift.c -lm && /tmp/drift 1000000
 * Prints one line per model: "<model> <best ns per evaluation> <checksum>".
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define POINTS 1024
#define RUNS 5

/* Parameters of examples/attractor3.yaml and examples/ou2d.yaml. */
static const double MU0 = 0, A = 0.8, I = 0.4, C = 0.5, N = 0.1, TAU = 1;
static const double K = 1.0;

static void attractor3(const double *v, double *out) {
  const double x = v[0], y = v[1];
  const double tx = tanh((x - C) / N), ty = tanh((y - C) / N);
  out[0] = (MU0 + A / 2 * (tx + 1) - I / 2 * (ty + 1) - x) / TAU;
  out[1] = (MU0 + A / 2 * (ty + 1) - I / 2 * (tx + 1) - y) / TAU;
}

static void ou2d(const double *v, double *out) {
  out[0] = -K * v[0];
  out[1] = -K * v[1];
}

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void bench(const char *name, void (*f)(const double *, double *), long n, const double *pts) {
  double best = INFINITY, checksum = 0;
  double v[3] = {0, 0, 0}, out[2];
  for (int r = 0; r < RUNS; r++) {
    double sum = 0;
    const double t0 = now_ns();
    for (long i = 0; i < n; i++) {
      const long j = (i & (POINTS - 1)) * 2;
      v[0] = pts[j];
      v[1] = pts[j + 1];
      f(v, out);
      sum += out[0] + out[1];
    }
    const double dt = (now_ns() - t0) / n;
    if (dt < best) best = dt;
    checksum = sum;
  }
  printf("%s %.3f %.17g\n", name, best, checksum);
}

int main(int argc, char **argv) {
  const long n = argc > 1 ? atol(argv[1]) : 1000000;
  static double pts[2 * POINTS];
  for (int i = 0; i < POINTS; i++) {
    pts[2 * i] = -0.5 + 2.0 * ((i * 37) % POINTS) / POINTS;
    pts[2 * i + 1] = -0.5 + 2.0 * ((i * 91) % POINTS) / POINTS;
  }
  /* Through function pointers, as the JS kernels are called. */
  void (*volatile fa)(const double *, double *) = attractor3;
  void (*volatile fo)(const double *, double *) = ou2d;
  bench("attractor3", fa, n, pts);
  bench("ou2d", fo, n, pts);
  return 0;
}
