import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The browser end-to-end tests (test/*.browser.ts): not part of `npm test` until the tracker
// endpoints they need are in CI. Run: npm run test:e2e -w @samplit/sdk
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    include: ['test/**/*.browser.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
