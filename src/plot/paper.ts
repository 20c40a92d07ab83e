// The paper's figures (Vastola, Figs. 1a–1c and 2), regenerated from the
// example models: which model, which end points, which energies. Each figure is
// data (checked by the tests) plus a Vega-Lite spec (rendered by render.ts).

import { join } from 'node:path';
import { loadModelFile } from '../model/file.ts';
import type { Model } from '../model/types.ts';
import {
  type ConditionedFigure,
  type PathCurve,
  type RingFigure,
  type TransitionFigure,
  conditionedPaths,
  energyTransitions,
  longRunDensity,
  ringDensity,
  ringTransitions,
} from './figures.ts';
import { type DensityGrid, type Spec, conditionedSpec, ringSpec, transitionSpec } from './render.ts';

export const PAPER_FIGURES = ['fig1a', 'fig1b', 'fig1c', 'fig2'] as const;
export type PaperFigureName = (typeof PAPER_FIGURES)[number];

export interface PaperFigure {
  readonly name: PaperFigureName;
  readonly caption: string;
  readonly spec: Spec;
  readonly data: TransitionFigure | RingFigure | ConditionedFigure;
}

/** The long-run density of a model over a box, from paths started at its stable states. */
async function stationaryDensity(model: Model, fig: TransitionFigure, lo: number[], hi: number[]): Promise<DensityGrid> {
  const stable = fig.fixedPoints.filter((p) => p.stability === 'stable').map((p) => p.x);
  return longRunDensity(model, stable.length > 0 ? stable : [fig.from], lo, hi);
}

export async function paperFigure(name: PaperFigureName, examplesDir: string): Promise<PaperFigure> {
  const load = (file: string): Model => loadModelFile(join(examplesDir, file));
  switch (name) {
    case 'fig1a': {
      // DDM: the wrong decision, from 0 to the lower bound at -1 in T = 2 (v = 0.5 > 0).
      const model = load('ddm.yaml');
      const data = await conditionedPaths(model, [0], [-1], 2, { paths: 400, tol: 0.05, dt: 0.005 });
      return {
        name,
        caption:
          `Fig. 1a — drift–diffusion model: ${data.accepted} sample paths that make the wrong decision (from 0 to −1 in T = 2, ` +
          `within ${data.tol}; acceptance ${(100 * data.acceptanceRate).toFixed(1)}%; 60 shown), their mean (dashed) and the most likely ` +
          `path, a straight line (Eq. 19); largest distance between mean and line ${data.distance.toFixed(3)}.`,
        spec: conditionedSpec(data, 'DDM: wrong decisions and the most likely path'),
        data,
      };
    }
    case 'fig1b': {
      // 2D OU: transitions between two states on the unit circle, low to high energy.
      const model = load('ou2d.yaml');
      const lo = [-1.3, -1.3];
      const hi = [1.3, 1.3];
      const data = energyTransitions(model, [1, 0], [0, 1], [0.0002, 0.002, 0.02, 0.2, 2], [0, 0], { lo, hi });
      return {
        name,
        caption:
          'Fig. 1b — 2D Ornstein–Uhlenbeck process: most likely transitions from (1, 0) to (0, 1) at several energies ' +
          '(and so angular momenta). Low energy: the path dips towards the attractor at the origin; high energy: direct.',
        spec: transitionSpec(data, '2D OU: transitions at several energies', await stationaryDensity(model, data, lo, hi)),
        data,
      };
    }
    case 'fig1c': {
      // 3-attractor model (Eq. 20): between the two choice states, through or around the undecided one.
      const model = load('attractor3.yaml');
      const lo = [-0.5, -0.5];
      const hi = [1.0, 1.0];
      const from = [0.797939, -0.398969];
      const to = [-0.398969, 0.797939];
      const data = energyTransitions(model, from, to, [0.0005, 0.005, 0.05, 0.5, 5], [0, 0], { lo, hi });
      return {
        name,
        caption:
          'Fig. 1c — attractor network of Eq. 20 (three stable states): transitions between the two choice states at ' +
          'several energies. Low energy visits the undecided state at the origin (and the saddles); high energy goes direct.',
        spec: transitionSpec(data, 'Eq. 20: changes of mind at several energies', await stationaryDensity(model, data, lo, hi)),
        data,
      };
    }
    case 'fig2': {
      // Reverse diffusion to a ring: start outside the ring, end on the ring at angles around the PF-ODE's end.
      const sde = load('ring-reverse-sde.yaml');
      const pf = load('ring-pf-ode.yaml');
      const R = sde.params.find((p) => p.name === 'R')?.value ?? 2;
      const s0 = sde.params.find((p) => p.name === 's0')?.value ?? 0.25;
      const start = [0, 2 * R];
      const T = sde.time[1] - sde.time[0];
      // Beyond about 70° from the PF-ODE's end point the most likely path cuts through the
      // ring's interior instead of going around it; the figure shows the range where it goes around.
      const angles = [-1.2, -0.8, -0.4, 0, 0.4, 0.8, 1.2].map((d) => Math.PI / 2 + d);
      const data = ringTransitions(sde, pf, start, angles, T);
      const lo = [-1.25 * R, -1.25 * R];
      const hi = [1.25 * R, 2.1 * R];
      return {
        name,
        caption:
          'Fig. 2 — reverse diffusion to a Gaussian ring: the probability-flow ODE path (dashed, radial) and most likely ' +
          'reverse-SDE paths from one start to points on the ring, coloured by their conserved angular momentum.',
        spec: ringSpec(data, 'Reverse diffusion: angular momentum of most likely paths', ringDensity(R, s0, 0, lo, hi)),
        data,
      };
    }
  }
}

/** The curve of a figure with the lowest / highest label value. */
export function extremeCurves(fig: TransitionFigure | RingFigure): { lowest: PathCurve; highest: PathCurve } {
  const sorted = [...fig.curves].sort((a, b) => a.value - b.value);
  return { lowest: sorted[0], highest: sorted[sorted.length - 1] };
}
