import cluster from 'node:cluster';
import type { Command } from 'commander';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/open-database.js';

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
  const { db, applied } = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    migrate,
  });
  const app = await buildApp({ config, db });
  if (applied.length > 0) app.log.info({ migrations: applied }, 'applied migrations');

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    // A hung connection must not keep the process alive forever.
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  if (cluster.isPrimary) {
    const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
    const base = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
    process.stdout.write(
      `\nSamplit is running on ${base} with ${where}.\n  API docs: ${base}/docs   OpenAPI: ${base}/openapi.json   Health: ${base}/health\n\n`,
    );
  }
}

/** N worker processes share the port (node:cluster); they share state only through PostgreSQL. */
async function runCluster(options: ServeOptions, workers: number): Promise<void> {
  const config = loadConfig(process.env);
  if (!config.databaseUrl) {
    throw new Error(
      '--workers > 1 needs PostgreSQL (set DATABASE_URL); the embedded database is single-process',
    );
  }
  // Migrate once, before any worker starts.
  const { db } = await openDatabase({ databaseUrl: config.databaseUrl });
  await db.close();
  let stopping = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('exit', (worker, code) => {
    if (!stopping) {
      console.error(`worker ${worker.process.pid} exited with ${code}; starting another`);
      cluster.fork();
    }
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  console.log(`Samplit: ${workers} workers on port ${options.port ?? config.port}`);
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
