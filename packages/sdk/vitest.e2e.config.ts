import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The browser end-to-end tests (test/*.browser.ts): a separate run (CI runs it after `npm test`)
// because building, starting a server and Chromium outlast the unit tests' timeouts.
// Run: npm run test:e2e -w @samplit/sdk
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    include: ['test/**/*.browser.ts'],
    // One file at a time: each builds dist/ in its beforeAll (a file read while another build
    // writes it could be cut short), and the SDK's timing checks want the two cores to themselves.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
