// Builds the SDK:
//   dist/samplit.min.js  script-tag build (IIFE, minified), served by the server at /sdk/samplit.js
//   dist/index.js        ESM build for bundlers and Node (dom-mutator left as a dependency)
//   dist/samplit-editor.min.js  the visual editor's agent (IIFE, minified), injected by the editor
//                        proxy into the pages it serves, served at /visual-editor/agent.js
// Run: npm run build -w @samplit/sdk   (or: node packages/sdk/scripts/build.mjs)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(root + 'package.json', 'utf8'));

/** Browsers with private class methods and optional chaining (Chrome/Edge 84+, Firefox 90+, Safari 15+). */
export const TARGET = ['es2022'];

/** What both script-tag bundles (the SDK and the editor's agent) are built with. */
const SCRIPT_BUILD = {
  absWorkingDir: root,
  bundle: true,
  minify: true,
  format: 'iife',
  target: TARGET,
  // dom-mutator's own dist is ES5; compiling its TypeScript source (shipped in the package) at
  // our target saves ~130 bytes gzipped.
  alias: { 'dom-mutator': 'dom-mutator/src/index.ts' },
  legalComments: 'none',
  logLevel: 'warning',
};

export async function buildSdk() {
  await Promise.all([
    build({
      ...SCRIPT_BUILD,
      entryPoints: ['src/script-entry.ts'],
      outfile: 'dist/samplit.min.js',
      banner: { js: `/*! Samplit SDK ${version} | MIT | includes dom-mutator (MIT) */` },
    }),
    build({
      ...SCRIPT_BUILD,
      // The same applyContent as samplit.min.js, so the editor previews what visitors get.
      entryPoints: ['src/editor/editor-entry.ts'],
      outfile: 'dist/samplit-editor.min.js',
      banner: {
        js: `/*! Samplit visual editor agent ${version} | MIT | includes dom-mutator (MIT), @medv/finder (MIT) */`,
      },
    }),
    build({
      absWorkingDir: root,
      entryPoints: ['src/index.ts'],
      outfile: 'dist/index.js',
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: TARGET,
      external: ['dom-mutator'],
      logLevel: 'warning',
    }),
  ]);
  return root + 'dist/samplit.min.js';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = await buildSdk();
  console.log('built ' + file);
}
