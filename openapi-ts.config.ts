import { defineConfig } from '@hey-api/openapi-ts';

// Generates generated/ from spec/openapi.yaml. Run `npm run generate`; never edit the output.
export default defineConfig({
  input: './spec/openapi.yaml',
  output: {
    path: 'generated',
    // Emit `./x.js` specifiers so the output works under `moduleResolution: nodenext`.
    importFileExtension: '.js',
    postProcess: [],
  },
  plugins: [
    // No default base URL, so every client must be given the Central cluster to call.
    { name: '@hey-api/client-fetch', baseUrl: false },
    '@hey-api/typescript',
    { name: 'valibot', requests: false },
    // client: false makes every SDK call take its client explicitly, so nothing can fall
    // back to a module-level default client shared by all callers.
    { name: '@hey-api/sdk', client: false, validator: { request: false, response: 'valibot' } },
  ],
});
