#!/usr/bin/env node
// dist/cli.js: starts the CLI bundle (dist/noether.cjs, built from bin.ts) with
// V8's code cache. Compiling the 1.6 MB bundle, and then each function a command
// calls, is a tenth of a short command's time (`solve` at M = 1000: about 25 of
// 290 ms); the cache holds the bytecode of the bundle and of every function
// the build's training runs called (scripts/build.mjs), so a start only
// deserialises it. Node 20 has no module compile cache (Node 22's
// module.enableCompileCache), hence a script compiled here by vm.
//
// The cache is used only when it was made from this very bundle (its size and
// modification time are in the cache's header) and V8 accepts it (same V8
// version and flags); otherwise the bundle is compiled as usual.
// NOETHER_CODE_CACHE: `off` ignores the cache; `check` says on stderr whether it
// was used (used, absent, stale: made from another bundle, rejected: by V8);
// `write` (the build's training runs) writes it after the command.

import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { HOST_IMPORT } from '../runtime-import.ts';

const bundle = fileURLToPath(new URL('./noether.cjs', import.meta.url));
const cacheFile = `${bundle}.cache`;
const mode = process.env.NOETHER_CODE_CACHE ?? '';
// The bundle as a CommonJS module would see it (its own require, module, __filename, __dirname).
const wrapped = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(bundle, 'utf8')}\n})`;
const HEADER = 64;
const stamp = (): Buffer => {
  const { size, mtimeMs } = statSync(bundle);
  return Buffer.from(`${size} ${mtimeMs}`.padEnd(HEADER, ' '));
};

let cachedData: Buffer | undefined;
let status: 'off' | 'absent' | 'stale' | 'rejected' | 'used' = 'off';
if (mode !== 'off') {
  let stored: Buffer | undefined;
  try {
    stored = readFileSync(cacheFile);
  } catch {
    // No cache (a build without its training runs): compile as usual.
  }
  if (stored && stored.subarray(0, HEADER).equals(stamp())) cachedData = stored.subarray(HEADER);
  status = !stored ? 'absent' : !cachedData ? 'stale' : 'used';
}
const script = new Script(wrapped, { filename: bundle, cachedData });
if (script.cachedDataRejected) status = 'rejected';
if (mode === 'check') process.stderr.write(`code cache: ${status}\n`);
// The bundle's run-time imports (Node built-ins, the figure packages) go through this module's loader.
Object.assign(globalThis, { [HOST_IMPORT]: (specifier: string) => import(specifier) });
const module = { exports: {} as { run: () => Promise<void> } };
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, fileURLToPath(new URL('.', import.meta.url)));
await module.exports.run();
if (mode === 'write') writeFileSync(cacheFile, Buffer.concat([stamp(), script.createCachedData()]));
// The command is done: exit once stdout and stderr are flushed, without the event loop's
// last turns (a module loader's file handle still closing: 5 to 15 ms of a busy machine).
process.stdout.write('', () => process.stderr.write('', () => process.exit()));
