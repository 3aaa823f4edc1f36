// Measures what the library adds to a browser bundle (`npm run size`, after `npm run build`).
// A consumer module that imports only createTroubleshootingClient and calls runCableTest is
// bundled from dist/index.js with esbuild (bundle, minify, platform browser, format esm),
// valibot included, and gzipped with node:zlib at level 9. Prints the raw and gzip sizes and
// the bytes each input file contributes. With `--write`, it also replaces the text between
// the size markers in README.md.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { constants, gzipSync } from 'node:zlib';

import * as esbuild from 'esbuild';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const README_PATH = path.join(PROJECT_ROOT, 'README.md');
const START_MARKER = '<!-- size:start -->';
const END_MARKER = '<!-- size:end -->';
const GZIP_LEVEL = constants.Z_BEST_COMPRESSION;

// The consumer exports its function, so that minification cannot drop the call.
const CONSUMER_ENTRY = `import { createTroubleshootingClient } from './dist/index.js';

export async function testCables(baseUrl, token, serialNumber, ports) {
  const central = createTroubleshootingClient({ baseUrl, token });
  return central.runCableTest({ serialNumber, ports });
}
`;

if (!existsSync(path.join(PROJECT_ROOT, 'dist/index.js'))) {
  console.error('dist/index.js not found. Run `npm run build` first.');
  process.exit(1);
}

const result = await esbuild.build({
  stdin: { contents: CONSUMER_ENTRY, resolveDir: PROJECT_ROOT, sourcefile: 'consumer.js', loader: 'js' },
  absWorkingDir: PROJECT_ROOT,
  bundle: true,
  minify: true,
  platform: 'browser',
  format: 'esm',
  write: false,
  metafile: true,
  logLevel: 'error',
});

const bundle = result.outputFiles[0].contents;
const rawBytes = bundle.byteLength;
const gzipBytes = gzipSync(bundle, { level: GZIP_LEVEL }).byteLength;

console.log(`esbuild ${esbuild.version}, Node ${process.version}: createTroubleshootingClient + runCableTest, minified ESM for the browser`);
console.log(`raw:  ${rawBytes} bytes`);
console.log(`gzip: ${gzipBytes} bytes (level ${GZIP_LEVEL})`);

// Bytes each input file contributes to the minified output, before gzip.
const [output] = Object.values(result.metafile.outputs);
const inputs = Object.entries(output.inputs)
  .map(([file, { bytesInOutput }]) => ({ file, bytesInOutput }))
  .sort((a, b) => b.bytesInOutput - a.bytesInOutput);
console.log('inputs (minified bytes, before gzip):');
for (const { file, bytesInOutput } of inputs) {
  console.log(`  ${String(bytesInOutput).padStart(7)}  ${file}`);
}

if (process.argv.includes('--write')) {
  const valibotBytes = inputs
    .filter(({ file }) => file.includes('node_modules/valibot/'))
    .reduce((sum, { bytesInOutput }) => sum + bytesInOutput, 0);
  await writeReadme({ rawBytes, gzipBytes, valibotBytes });
  console.log(`Wrote the sizes into ${path.relative(PROJECT_ROOT, README_PATH)}.`);
}

async function writeReadme({ rawBytes, gzipBytes, valibotBytes }) {
  const readme = await readFile(README_PATH, 'utf8');
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`README.md needs the markers ${START_MARKER} and ${END_MARKER}, in that order, around the size text.`);
  }

  const text = [
    '| bundle | minified | minified + gzip |',
    '|---|---|---|',
    `| \`createTroubleshootingClient\` + \`runCableTest\` | ${formatKilobytes(rawBytes)} | ${formatKilobytes(gzipBytes)} |`,
    '',
    `Exact sizes: ${rawBytes} bytes minified and ${gzipBytes} bytes gzipped; valibot accounts for`,
    `${valibotBytes} of the minified bytes.`,
    `Measured with \`npm run size -- --write\` (scripts/measure-size.mjs) from dist/index.js:`,
    `esbuild ${esbuild.version} with bundle, minify, platform browser and format esm, then gzip`,
    `level ${GZIP_LEVEL} (node:zlib, Node ${process.version}).`,
  ].join('\n');

  const updated = `${readme.slice(0, start + START_MARKER.length)}\n${text}\n${readme.slice(end)}`;
  await writeFile(README_PATH, updated);
}

function formatKilobytes(bytes) {
  return `${(bytes / 1000).toFixed(1)} kB`;
}
