import { MultiBar } from 'cli-progress';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { createDemoClient } from '../demo/demo-client.js';
import { DEFAULT_DEMO_SEED } from '../demo/demo-data.js';
import { DEMO_SCENARIO_NAMES, demoScenario } from '../demo/demo-scenarios.js';
import { runLiveDemo } from '../demo/live-demo.js';
import { formatSummary, trafficHeader, trafficRow } from '../demo/live-demo-report.js';
import { describeDatabase, startServer } from '../server.js';
import { positiveInteger, scenarioName } from './cli-arguments.js';

const DEFAULT_URL = 'http://localhost:8000';
/** Visitors per second against someone's server: under the tracker's default 200/s per-IP limit. */
const RATE_EXTERNAL = 150;
/** Visitors per second against the demo's own server (started with the per-IP limit off). */
const RATE_OWN_SERVER = 400;

interface DemoOptions {
  url: string;
  start: boolean;
  scenario: string;
  visitors: number;
  seed: number;
  rate?: number;
  concurrency: number;
  reportEvery?: number;
  email: string;
  password: string;
}

/** An API on the embedded database (or DATABASE_URL), tracker rate limit off, for the demo only. */
async function startOwnServer(port: number) {
  const config = loadConfig(process.env, {
    port,
    host: '127.0.0.1',
    trackerRateLimitPerIp: 0,
    logLevel: 'warn',
    // The demo drives the tracker only; its editor app takes any free port rather than port+1.
    editorPort: 0,
  });
  const server = await startServer(config);
  return { where: describeDatabase(config), close: () => server.close() };
}

/**
 * `samplit demo`: the live version of the demo data. Against a running server (or one it
 * starts), creates an adaptive experiment and drives simulated visitors through the tracker,
 * showing the traffic shift toward the winner, then the decision and the conversions gained.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('drive simulated visitors through a live server and watch traffic shift to the winner')
    .option('--url <url>', 'Samplit server', DEFAULT_URL)
    .option('--no-start', 'fail instead of starting a server when none answers at --url')
    .option(
      '--scenario <name>',
      `hidden true rates: ${DEMO_SCENARIO_NAMES.join(', ')}`,
      scenarioName,
      'seed-multielement',
    )
    .option('--visitors <n>', 'simulated visitors', positiveInteger, 30_000)
    .option('--seed <s>', 'seed of the visitors’ conversions', positiveInteger, DEFAULT_DEMO_SEED)
    .option(
      '--rate <n>',
      `visitors per second (default ${RATE_EXTERNAL}, or ${RATE_OWN_SERVER} on its own server)`,
      positiveInteger,
    )
    .option('--concurrency <n>', 'visitors in flight at once', positiveInteger, 32)
    .option('--report-every <n>', 'visitors between traffic reports (default: a tenth)', positiveInteger)
    .option('--email <email>', 'demo account (registered if new)', 'demo@example.com')
    .option('--password <password>', 'demo account password', 'samplit-demo')
    .action(async (options: DemoOptions) => {
      // --scenario was checked by scenarioName when the command line was parsed.
      const scenario = demoScenario(options.scenario)!;
      let baseUrl = options.url.replace(/\/+$/, '');
      let own: Awaited<ReturnType<typeof startOwnServer>> | undefined;
      if (!(await createDemoClient(baseUrl).health())) {
        if (!options.start)
          throw new Error(`no Samplit server answers at ${baseUrl} (start one with npm start)`);
        const port = Number(new URL(baseUrl).port || 80);
        console.log(`No server at ${baseUrl}: starting one on port ${port} for the demo…`);
        own = await startOwnServer(port);
        baseUrl = `http://127.0.0.1:${port}`;
        console.log(`Started on ${own.where} (tracker rate limit off).`);
      }
      const rate = options.rate ?? (own ? RATE_OWN_SERVER : RATE_EXTERNAL);
      const reportEvery = options.reportEvery ?? Math.max(1, Math.round(options.visitors / 10));
      const tty = Boolean(process.stderr.isTTY);
      const bars = tty
        ? new MultiBar({
            stream: process.stderr,
            format: 'demo {bar} {value}/{total} visitors | {conversions} conversions | ETA {eta_formatted}',
            hideCursor: true,
            clearOnComplete: true,
          })
        : undefined;
      const bar = bars?.create(options.visitors, 0, { conversions: 0 });
      const print = (line: string) => (bars ? bars.log(`${line}\n`) : console.log(line));
      let headerShown = false;

      console.log(
        `Demo: ${options.visitors.toLocaleString('en-US')} visitors at ${rate}/s against ${baseUrl}, ` +
          `scenario ${scenario.scenario.name} (${scenario.combinations.length} combinations, hidden true rates), seed ${options.seed}.`,
      );
      const client = createDemoClient(baseUrl);
      try {
        const result = await runLiveDemo({
          client,
          scenario,
          visitors: options.visitors,
          seed: options.seed,
          rate,
          concurrency: options.concurrency,
          reportEvery,
          email: options.email,
          password: options.password,
          onProgress: (done, conversions) => bar?.update(done, { conversions }),
          onReport: (done, stats) => {
            if (!headerShown)
              print(`\nTraffic share of new visitors, as the tracker allocates it:\n${trafficHeader(stats)}`);
            headerShown = true;
            print(trafficRow(done, stats));
          },
        });
        bars?.update(); // flush the last traffic row, logged above the bar
        bars?.stop();
        const where = {
          baseUrl: options.url,
          email: options.email,
          password: options.password,
          keptIn: own?.where,
        };
        console.log(`\n${formatSummary(result, where)}`);
      } finally {
        bars?.stop();
        await own?.close();
      }
    });
}
