// Fails if the JavaScript the dashboard's page loads before it can show anything is over budget:
// every script and modulepreload that dist/index.html names, gzipped. Chunks loaded later (by a
// dynamic import) are listed apart and do not count.
// Run after a build: npm run size -w @samplit/dashboard
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** 250 KB (250 × 1024 bytes) gzipped: the aim for the first load. */
const BUDGET_BYTES = 250 * 1024;

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
let html;
try {
  html = readFileSync(dist + 'index.html', 'utf8');
} catch {
  console.error('dist/index.html is missing: run `npm run build -w @samplit/dashboard` first.');
  process.exit(1);
}

/** The value of attribute `name` in one tag's source, or undefined. */
const attribute = (tag, name) =>
  tag
    .match(new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i'))
    ?.slice(1)
    .find((v) => v !== undefined);

const initial = new Set();
for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
  const src = attribute(tag, 'src');
  if (src) initial.add(src);
}
for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
  if (attribute(tag, 'rel')?.toLowerCase() === 'modulepreload') initial.add(attribute(tag, 'href'));
}
if (initial.size === 0) {
  console.error('dist/index.html names no script: is this a Vite build?');
  process.exit(1);
}

const sizeOf = (file) => {
  const raw = readFileSync(file);
  return { raw: raw.length, gzipped: gzipSync(raw, { level: 9 }).length };
};
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

let total = 0;
for (const src of initial) {
  // Same-origin paths only ("/assets/x.js"); the page loads nothing from elsewhere (the CSP forbids it).
  const path = new URL(src, 'http://dashboard.invalid/').pathname;
  const { raw, gzipped } = sizeOf(dist + decodeURIComponent(path).replace(/^\/+/, ''));
  total += gzipped;
  console.log(`  ${path}: ${kb(raw)}, ${kb(gzipped)} gzipped`);
}
const initialPaths = new Set([...initial].map((src) => new URL(src, 'http://dashboard.invalid/').pathname));
const later = readdirSync(dist + 'assets').filter(
  (f) => f.endsWith('.js') && !initialPaths.has(`/assets/${f}`),
);
for (const file of later)
  console.log(`  /assets/${file}: ${kb(sizeOf(dist + 'assets/' + file).gzipped)} gzipped, loaded later`);

const ok = total <= BUDGET_BYTES;
console.log(
  `dashboard initial JavaScript: ${kb(total)} gzipped (budget ${kb(BUDGET_BYTES)}, ` +
    `${ok ? kb(BUDGET_BYTES - total) + ' to spare' : kb(total - BUDGET_BYTES) + ' over'})`,
);
if (!ok) process.exit(1);
