// Simulation of model SDEs: seeded ensembles, conditioned ensembles, stationary histograms.
export {
  compileSimulation,
  runSimulation,
  simulate,
  stepsFor,
  sampleGrid,
  thinSteps,
  quantileSorted,
  HopelessConditioning,
  DEFAULT_QUANTILES,
  DEFAULT_SAMPLES,
  DEFAULT_SEED,
  type ConditionRequest,
  type EnsembleResult,
  type FinalStatistics,
  type Histogram,
  type HistogramRequest,
  type NoiseInfo,
  type PathBatch,
  type Quantile,
  type SimulationOptions,
  type Simulator,
} from './simulate.ts';
export { compareWithMostLikely, type MostLikelyComparison } from './most-likely.ts';
export { planNoise, strongOrder, cholesky, type NoisePlan, type NoiseStructure, type Scheme } from './noise.ts';
