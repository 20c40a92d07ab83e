import { it } from 'vitest';
import { loadModelFile } from '../src/model/file.ts';
import { buildLagrangian } from '../src/lagrangian/lagrangian.ts';
import { compileKernel } from '../src/compile/compile.ts';
it('kernel size', async () => {
  const model = loadModelFile('/tmp/n/tanh64.yaml');
  const lagr = buildLagrangian(model);
  const names = [...model.state, ...lagr.symbols.velocities, 't'];
  const { substituteParameters } = await import('../src/simulate/noise.ts');
  const k = compileKernel([substituteParameters(lagr.energy, model)], names);
  console.log('source chars', k.source.length, 'scratch', k.scratch); (await import('node:fs')).writeFileSync('/tmp/ekernel.js', k.source);
  const input = new Float64Array(names.length).map((_, i) => Math.sin(i));
  const out = new Float64Array(1);
  for (let r = 0; r < 12; r++) { const t0 = performance.now(); for (let i = 0; i < 500; i++) k.run(input, out); console.log('µs per call', ((performance.now() - t0) / 500 * 1000).toFixed(1)); }
});
