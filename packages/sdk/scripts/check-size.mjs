// Builds the script-tag bundle and fails if it is over its gzipped size budget.
// Run: node packages/sdk/scripts/check-size.mjs   (or: npm run size -w @samplit/sdk)
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { buildSdk } from './build.mjs';

/** The script-tag build must stay at or under 6 KB (6 × 1024 bytes) gzipped. */
const BUDGET_BYTES = 6 * 1024;

const file = await buildSdk();
const raw = readFileSync(file);
const gzipped = gzipSync(raw, { level: 9 }).length;
const ok = gzipped <= BUDGET_BYTES;
console.log(
  `samplit.min.js: ${raw.length} bytes, ${gzipped} bytes gzipped (budget ${BUDGET_BYTES}, ` +
    `${ok ? BUDGET_BYTES - gzipped + ' to spare' : gzipped - BUDGET_BYTES + ' over'})`,
);
if (!ok) process.exit(1);
