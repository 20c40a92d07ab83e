// The runtime functions of compiled kernels (R.besselI0e, R.besselI1e, R.erf; see
// src/compile/compile.ts) as JavaScript source, for generated simulation loops
// that run in worker threads started from a string (a worker cannot receive
// functions, and the bundled CLI has no separate file to load). The source is
// that of src/expr/special.ts's own factory, so workers compute exactly what the
// module does.

import { specialFunctions } from '../expr/special.ts';

/** Defines `const R = { besselI0, besselI1, besselI0e, besselI1e, erf, erfc }`. */
export const RUNTIME_SOURCE = `const R = (${specialFunctions.toString()})();\n`;
