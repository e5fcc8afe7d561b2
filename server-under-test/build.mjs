// Bundles the server into ONE self-contained ESM file, dist/server.mjs, for a FROM-scratch image
// that holds only the node binary: every npm dependency is inside the bundle.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outfile = join(here, 'dist', 'server.mjs');

await build({
  entryPoints: [join(here, 'src', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  // ws's optional native add-ons: required inside try/catch, absent in the image.
  external: ['bufferutil', 'utf-8-validate'],
  banner: {
    // CommonJS dependencies (ioredis, prom-client, ws) call require(); give them one.
    js: [
      "import { createRequire as __sutCreateRequire } from 'node:module';",
      "import { fileURLToPath as __sutFileURLToPath } from 'node:url';",
      "import { dirname as __sutDirname } from 'node:path';",
      'const require = __sutCreateRequire(import.meta.url);',
      'const __filename = __sutFileURLToPath(import.meta.url);',
      'const __dirname = __sutDirname(__filename);',
    ].join('\n'),
  },
  logLevel: 'warning',
});
console.log(`built ${outfile}`);
