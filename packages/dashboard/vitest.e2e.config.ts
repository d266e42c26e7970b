import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The browser end-to-end tests (test/*.browser.ts): a separate run (CI runs it after `npm test`)
// because building, starting a server and Chromium outlast the unit tests' timeouts.
// Run: npm run test:e2e -w @samplit/dashboard
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    include: ['test/**/*.browser.ts'],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    // One server and one browser for the file; its tests follow one user's story in order.
    fileParallelism: false,
  },
});
