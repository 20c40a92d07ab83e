// noether as a package a TypeScript user builds against: `npm pack` the
// repository, install the tarball into a throw-away project (strict, NodeNext,
// without the optional plotting packages and without Node's type definitions),
// type-check the README's API example with tsc and run it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The TypeScript block after an HTML comment marker (api-example, api-example-node) in the README. */
function readmeExample(marker: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const m = new RegExp(`<!-- ${marker}[: ][^>]*-->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!m) throw new Error(`README.md has no ${marker} block`);
  return m[1];
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'noether-consumer-'));
  const packed = execFileSync(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
  const tarball = join(dir, (JSON.parse(packed) as Array<{ filename: string }>)[0].filename);
  const app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, lib: ['ES2022', 'DOM'], types: [], outDir: 'out', skipLibCheck: false },
      include: ['main.ts'],
    }),
  );
  execFileSync(NPM, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--omit=optional', '--omit=dev', tarball], { cwd: app, stdio: 'pipe' });
}, 300_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('installs without the optional plotting packages and ships types, schemas and the CLI', () => {
    const pkg = join(dir, 'app/node_modules/noether');
    for (const f of ['dist/lib/index.js', 'dist/lib/node.js', 'dist/types/index.d.ts', 'dist/types/node.d.ts', 'dist/cli.js', 'schemas/path.schema.json']) {
      expect(() => readFileSync(join(pkg, f)), f).not.toThrow();
    }
    expect(() => readFileSync(join(dir, 'app/node_modules/vega/package.json'))).toThrow();
    expect(() => readFileSync(join(dir, 'app/node_modules/mathjs/package.json'))).toThrow();
  });

  it("type-checks the README's example in a strict NodeNext project and runs it", () => {
    const app = join(dir, 'app');
    writeFileSync(join(app, 'main.ts'), readmeExample('api-example'));
    execFileSync(process.execPath, [TSC, '-p', app], { cwd: app, stdio: 'pipe' });
    const out = execFileSync(process.execPath, [join(app, 'out/main.js')], { cwd: app, encoding: 'utf8' });
    expect(out).toContain('E = (x_dot^2 + y_dot^2 - k^2*x^2 - k^2*y^2)/(4*D)  (time translation: exact, symbolic)');
    expect(out).toContain('L_xy = (x*y_dot - x_dot*y)/(2*D)  (rotation in the (x, y) plane: exact, symbolic)');
    expect(out).toMatch(/every charge conserved: true/);
    expect(out).toContain('claimed generator: exact');
    expect(out).toMatch(/Most likely path of ou2d: converged/);
  }, 120_000);

  it("type-checks the README's noether/node example", () => {
    const app = join(dir, 'app');
    writeFileSync(join(app, 'main.ts'), readmeExample('api-example-node'));
    execFileSync(process.execPath, [TSC, '-p', app], { cwd: app, stdio: 'pipe' });
  }, 120_000);

  it('a type error in a consumer is caught against the shipped declarations', () => {
    const app = join(dir, 'app');
    writeFileSync(join(app, 'main.ts'), "import { createAnalyzer } from 'noether';\nconst n: string = createAnalyzer({ name: 'a', state: ['x'], drift: '-x', diffusion: 1 }).model.state.length;\n");
    let output = '';
    try {
      execFileSync(process.execPath, [TSC, '-p', app], { cwd: app, encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      output = String((err as { stdout?: string }).stdout);
    }
    expect(output).toMatch(/main\.ts\(2,7\): error TS2322: Type 'number' is not assignable to type 'string'/);
  }, 120_000);
});
