import { defineConfig } from 'tsup';

// dist/ is emptied by `npm run build` before tsup starts. tsup's own `clean` would run in
// each configuration while the others are already writing, and could delete their files.
// `removeNodeProtocol: false` keeps imports such as `node:crypto` as written: every Node
// version in `engines` (>=18.18) supports the prefix, and it keeps Node-only imports easy
// to find in dist/.
export default defineConfig([
  {
    // The library: runs on any fetch runtime, so it imports no Node-only module.
    // scripts/consumer-test.mjs bundles dist/index.js for the browser to check that.
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    target: 'es2022',
    platform: 'neutral',
    sourcemap: true,
    removeNodeProtocol: false,
  },
  {
    // The simulator (`aruba-central-troubleshooting/simulator`): Node only. It imports only
    // types from the library. NOTE: library code it imported at run time would be copied
    // into dist/simulator.*, and its error classes would differ from those of dist/index.*.
    entry: { simulator: 'src/simulator/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    target: 'node18',
    platform: 'node',
    sourcemap: true,
    removeNodeProtocol: false,
  },
  {
    // The command line: Node only, ESM only. tsup keeps the shebang of src/cli/main.ts and
    // makes dist/cli.js executable.
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    target: 'node18',
    platform: 'node',
    sourcemap: true,
    removeNodeProtocol: false,
  },
]);
