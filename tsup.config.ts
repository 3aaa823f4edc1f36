import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The library: runs on any fetch runtime, so it imports no Node-only module.
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    sourcemap: true,
  },
  {
    // The command line: Node only, ESM only.
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    target: 'node18',
    platform: 'node',
    sourcemap: true,
  },
]);
