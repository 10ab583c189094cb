// Builds the SDK: dist/parley-zim.js (ES module), dist/parley-zim.iife.js (a minified
// browser bundle that defines the globals `ZIM` and `ParleyZIM`), dist/types
// (declarations), and copies the browser bundle to ../web/static (the Go server embeds
// it). `make sdk` runs it; the output is committed. PARLEY_SDK_OUT and PARLEY_SDK_WEB
// redirect the output (the Go test that checks the committed bundle is fresh uses them).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';

const out = process.env.PARLEY_SDK_OUT || 'dist';
const web = process.env.PARLEY_SDK_WEB || '../web/static/parley-zim.js';
rmSync(out, { recursive: true, force: true });
const common = { entryPoints: ['src/index.ts'], bundle: true, target: 'es2020', legalComments: 'none', logLevel: 'warning' };
await build({ ...common, format: 'esm', outfile: join(out, 'parley-zim.js') });
await build({
  ...common,
  format: 'iife',
  globalName: 'ParleyZIM',
  minify: true,
  outfile: join(out, 'parley-zim.iife.js'),
  footer: { js: 'globalThis.ZIM=ParleyZIM.ZIM;' },
});
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--outDir', join(out, 'types')], { stdio: 'inherit' });
copyFileSync(join(out, 'parley-zim.iife.js'), web);
