// Builds the SDK: dist/parley-zim.js (ES module), dist/parley-zim.iife.js (a minified
// browser bundle that defines the global `ZIM` and `ParleyZIM`), dist/types (declarations).
// `make sdk` runs it; the output is committed (the Go server embeds the browser bundle).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync, copyFileSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
const common = { entryPoints: ['src/index.ts'], bundle: true, target: 'es2020', legalComments: 'none', logLevel: 'warning' };
await build({ ...common, format: 'esm', outfile: 'dist/parley-zim.js' });
await build({
  ...common,
  format: 'iife',
  globalName: 'ParleyZIM',
  minify: true,
  outfile: 'dist/parley-zim.iife.js',
  footer: { js: 'globalThis.ZIM=ParleyZIM.ZIM;' },
});
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
// The Go server embeds the browser bundle from gateway/web (go:embed cannot reach here).
copyFileSync('dist/parley-zim.iife.js', '../web/static/parley-zim.js');
