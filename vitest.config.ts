import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starts a Prism mock of spec/openapi.yaml on an ephemeral 127.0.0.1 port for the integration tests.
    globalSetup: ['test/setup/prism.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
