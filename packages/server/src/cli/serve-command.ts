import cluster from 'node:cluster';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { describeDatabase, openConfiguredDatabase, startServer } from '../server.js';

/**
 * A worker that dies this soon after its start is crashing on start: the next fork waits,
 * doubling up to MAX_RESTART_DELAY_MS, instead of forking in a tight loop.
 */
const EARLY_EXIT_MS = 5000;
const MAX_RESTART_DELAY_MS = 10_000;

interface ServeOptions {
  port?: string;
  host?: string;
  workers: string;
}

async function runServer(options: ServeOptions, migrate: boolean): Promise<void> {
  const config = loadConfig(process.env, {
    ...(options.port ? { port: Number(options.port) } : {}),
    ...(options.host ? { host: options.host } : {}),
  });
  const server = await startServer(config, { migrate });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    server.app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    // A hung connection must not keep the process alive forever.
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  if (cluster.isPrimary) {
    const base = server.url;
    // The dashboard first: it is what a person who just ran `npm start` opens.
    process.stdout.write(
      `Dashboard: ${base}/\n` +
        `Visual editor: ${server.editorUrl}/\n` +
        `  Samplit is running with ${describeDatabase(config)}.\n` +
        `  API: ${base}/api/v1   API docs: ${base}/docs   OpenAPI: ${base}/openapi.json   Health: ${base}/health\n\n`,
    );
  }
  // After the banner, so that the dashboard's address is the first thing printed.
  if (server.applied.length > 0) server.app.log.info({ migrations: server.applied }, 'applied migrations');
}

/** N worker processes share the port (node:cluster); they share state only through PostgreSQL. */
async function runCluster(options: ServeOptions, workers: number): Promise<void> {
  // With --port as the workers get it, so that the editor port (default port+1) follows it too.
  const config = loadConfig(process.env, options.port ? { port: Number(options.port) } : {});
  if (!config.databaseUrl) {
    throw new Error(
      '--workers > 1 needs PostgreSQL (set DATABASE_URL); the embedded database is single-process',
    );
  }
  // Migrate once, before any worker starts.
  const { db } = await openConfiguredDatabase(config);
  await db.close();
  // The primary hands each new connection to a worker (round-robin) and keeps it open until the
  // worker says it took it; a worker killed meanwhile never says so, and that client hangs for
  // good. Workers accepting from the shared socket themselves leave an unaccepted connection
  // queued for the survivor instead. NODE_CLUSTER_SCHED_POLICY still chooses, when set.
  if (!process.env.NODE_CLUSTER_SCHED_POLICY) cluster.schedulingPolicy = cluster.SCHED_NONE;
  let stopping = false;
  const startedAt = new Map<number, number>();
  let restartDelay = 0;
  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker.id, Date.now());
  };
  for (let i = 0; i < workers; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker.id) ?? 0);
    startedAt.delete(worker.id);
    if (stopping) return;
    restartDelay =
      lived < EARLY_EXIT_MS ? Math.min(MAX_RESTART_DELAY_MS, Math.max(100, restartDelay * 2)) : 0;
    console.error(
      `worker ${worker.process.pid} exited with ${signal ?? code}; starting another${restartDelay ? ` in ${restartDelay} ms` : ''}`,
    );
    setTimeout(() => {
      if (!stopping) fork();
    }, restartDelay);
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const host = options.host ?? config.host;
  const shown = host === '0.0.0.0' ? 'localhost' : host;
  console.log(
    `Dashboard: http://${shown}:${config.port}/\n` +
      `Visual editor: http://${shown}:${config.editorPort}/\n` +
      `  Samplit: ${workers} workers`,
  );
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve', { isDefault: true })
    .description('run the HTTP API (default command)')
    .option('-p, --port <port>', 'port to listen on (env PORT, default 8000)')
    .option('-H, --host <host>', 'interface to bind (env HOST, default 0.0.0.0)')
    .option('-w, --workers <n>', 'number of worker processes (PostgreSQL only)', '1')
    .action(async (options: ServeOptions) => {
      const workers = Number(options.workers);
      if (!Number.isInteger(workers) || workers < 1) throw new Error('--workers must be a positive integer');
      if (cluster.isPrimary && workers > 1) return runCluster(options, workers);
      return runServer(options, cluster.isPrimary);
    });
}
