/**
 * Draws bench:scale results (RESULTS=file.json) as one PNG: throughput as a share of bare Fastify
 * measured at the same step, and p99, against the rows in `assignments` (log scale), one line per
 * run and layout. Rendered by headless Chromium (Debian's package).
 *
 *   tsx bench/scale/chart.ts docs/screenshots/scale-curve.png "default PostgreSQL=default.json" "tuned=tuned.json"
 */
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

interface Step {
  layout: string;
  rows: number;
  baseline: { reqPerSec: number };
  assign: { reqPerSec: number; p99: number };
  convert: { reqPerSec: number; p99: number };
  walPerAssign: number;
}

const [out, ...inputs] = process.argv.slice(2);
if (!out || inputs.length === 0) throw new Error('usage: chart.ts OUT.png "label=results.json" …');

const COLORS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2'];
const W = 560;
const H = 300;
const M = { left: 56, right: 16, top: 34, bottom: 44 };

function panel(
  title: string,
  unit: string,
  series: { label: string; points: [number, number][]; color: string; dash: boolean }[],
  yMax: number,
) {
  const xs = series.flatMap((s) => s.points.map(([x]) => x));
  const [lo, hi] = [Math.floor(Math.log10(Math.min(...xs))), Math.log10(Math.max(...xs))];
  const x = (v: number) => M.left + ((Math.log10(v) - lo) / (hi - lo || 1)) * (W - M.left - M.right);
  const y = (v: number) => H - M.bottom - (v / yMax) * (H - M.top - M.bottom);
  const ticks = Array.from({ length: 5 }, (_, i) => (yMax * i) / 4);
  const decades = [];
  for (let d = Math.ceil(lo); d <= Math.floor(hi); d++) decades.push(10 ** d);
  return `<svg width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="12">
    <text x="${M.left}" y="18" font-size="14" font-weight="600">${title}</text>
    ${ticks.map((t) => `<line x1="${M.left}" x2="${W - M.right}" y1="${y(t)}" y2="${y(t)}" stroke="#e5e7eb"/><text x="${M.left - 6}" y="${y(t) + 4}" text-anchor="end" fill="#4b5563">${Math.round(t)}${unit}</text>`).join('')}
    ${decades.map((d) => `<text x="${x(d)}" y="${H - M.bottom + 16}" text-anchor="middle" fill="#4b5563">10^${Math.log10(d)}</text>`).join('')}
    <text x="${(W + M.left) / 2}" y="${H - 8}" text-anchor="middle" fill="#4b5563">rows in assignments (and as many in conversions)</text>
    ${series
      .map(
        (s) =>
          `<polyline fill="none" stroke="${s.color}" stroke-width="2.5" ${s.dash ? 'stroke-dasharray="6 4"' : ''} points="${s.points.map(([a, b]) => `${x(a)},${y(Math.min(b, yMax))}`).join(' ')}"/>` +
          s.points
            .map(([a, b]) => `<circle cx="${x(a)}" cy="${y(Math.min(b, yMax))}" r="3.5" fill="${s.color}"/>`)
            .join(''),
      )
      .join('')}
  </svg>`;
}

async function main() {
  const runs: { label: string; steps: Step[] }[] = [];
  for (const input of inputs) {
    const [label, file] = input.includes('=') ? input.split('=') : [input, input];
    runs.push({ label, steps: JSON.parse(await readFile(file, 'utf8')).steps });
  }
  const lines = runs.flatMap((run, r) =>
    [...new Set(run.steps.map((s) => s.layout))].map((layout, l) => ({
      label: `${run.label}, ${layout === 'one' ? 'one experiment' : 'many experiments'}`,
      steps: run.steps.filter((s) => s.layout === layout),
      color: COLORS[(r * 2 + l) % COLORS.length],
      dash: l > 0,
    })),
  );
  const share = (pick: (s: Step) => number) =>
    lines.map((line) => ({
      ...line,
      points: line.steps.map((s) => [s.rows, (100 * pick(s)) / s.baseline.reqPerSec] as [number, number]),
    }));
  const values = (pick: (s: Step) => number) =>
    lines.map((line) => ({ ...line, points: line.steps.map((s) => [s.rows, pick(s)] as [number, number]) }));
  const maxP99 = Math.max(20, ...lines.flatMap((l) => l.steps.map((s) => s.assign.p99)));
  const top = Math.ceil(maxP99 / 20) * 20;
  const html = `<html><body style="margin:0;background:#fff;width:${2 * W + 24}px;font-family:system-ui,sans-serif">
    <div style="display:flex;flex-wrap:wrap;gap:8px;padding:8px">
      ${panel(
        'Assign, new visitors: req/s as % of bare Fastify',
        '%',
        share((s) => s.assign.reqPerSec),
        100,
      )}
      ${panel(
        'Convert: req/s as % of bare Fastify',
        '%',
        share((s) => s.convert.reqPerSec),
        100,
      )}
      ${panel(
        'Assign p99 latency',
        ' ms',
        values((s) => s.assign.p99),
        top,
      )}
      ${panel(
        'WAL per new-visitor assign, after a checkpoint',
        ' kB',
        values((s) => s.walPerAssign / 1024),
        8,
      )}
    </div>
    <div style="padding:0 16px 12px;font-size:13px">${lines
      .map(
        (l) =>
          `<span style="margin-right:18px;white-space:nowrap"><svg width="28" height="10"><line x1="0" x2="28" y1="5" y2="5" stroke="${l.color}" stroke-width="3" ${l.dash ? 'stroke-dasharray="6 4"' : ''}/></svg> ${l.label}</span>`,
      )
      .join('')}</div>
  </body></html>`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox'],
  });
  try {
    const page = await browser.newPage({
      viewport: { width: 2 * W + 24, height: 400 },
      deviceScaleFactor: 1,
    });
    await page.setContent(html);
    await page.screenshot({ path: out, fullPage: true });
  } finally {
    await browser.close();
  }
  console.log(`wrote ${out}`);
}

await main();
