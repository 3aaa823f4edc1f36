import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

/** Returns the ```ts blocks of the README, in order. */
function readmeSnippets(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

describe('readme', () => {
  it('readme: has TypeScript snippets', () => {
    expect(readmeSnippets().length).toBeGreaterThanOrEqual(2);
  });

  it('readme: snippets type-check against the public API', () => {
    const folder = mkdtempSync(join(tmpdir(), 'readme-snippets-'));
    try {
      const files = readmeSnippets().map((snippet, index) => {
        const file = join(folder, `snippet-${index + 1}.ts`);
        writeFileSync(file, snippet);
        return file;
      });

      const program = ts.createProgram(files, {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
        types: ['node'],
        typeRoots: [join(root, 'node_modules/@types')],
        skipLibCheck: true,
        baseUrl: root,
        // The snippets import the package by name, as users do; it resolves to the source.
        paths: {
          'aruba-central-troubleshooting': ['src/index.ts'],
          'aruba-central-troubleshooting/simulator': ['src/simulator/index.ts'],
        },
      });

      const diagnostics = ts
        .getPreEmitDiagnostics(program)
        .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      expect(diagnostics).toEqual([]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
