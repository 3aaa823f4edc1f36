import type { TestProject } from 'vitest/node';
import { startPrism } from './prism-proxy.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the Prism mock of spec/openapi.yaml, such as `http://127.0.0.1:40123`. */
    prismUrl: string;
  }
}

/**
 * Starts `prism mock spec/openapi.yaml` on a free 127.0.0.1 port, provides its URL to the
 * tests as `prismUrl`, and returns the teardown that stops it by its process id.
 */
export default async function setup({ provide }: TestProject): Promise<() => Promise<void>> {
  const prism = await startPrism('mock');
  provide('prismUrl', prism.url);
  return () => prism.stop();
}
