// Imports resolved at run time, which bundlers leave alone: Node built-ins (so
// that the library still loads in a browser) and the optional figure packages.
// The CLI's bundle runs as a script compiled with a code cache (src/cli/launch.ts),
// where `import()` has no module loader behind it on Node 20; the launcher then
// lends its own under HOST_IMPORT.

/** Where a host that compiles this code as a script puts its `import`. */
export const HOST_IMPORT = Symbol.for('noether.hostImport');

export function runtimeImport<T>(specifier: string): Promise<T> {
  const host = (globalThis as { [HOST_IMPORT]?: (specifier: string) => Promise<unknown> })[HOST_IMPORT];
  return (host ? host(specifier) : import(/* @vite-ignore */ specifier)) as Promise<T>;
}
