import { type ChildProcess, spawn } from 'node:child_process';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';

export const SAMPLIT_BIN = fileURLToPath(new URL('../../bin/samplit.js', import.meta.url));

/** Ports the OS says are free now (fixed ports collide when two suites run on one machine). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Server>((resolve) => {
          const s = createServer();
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** What the process wrote to stderr so far (worker restarts, crashes). */
  stderr(): string;
  /** SIGTERM, then SIGKILL if it has not exited after 15 s. */
  stop(): Promise<void>;
}

/** Waits until `GET /health` answers 200; a child that exits first fails at once. */
export async function waitUntilUp(port: number, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server on ${port} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server on ${port} did not start`);
}

/** A real `samplit serve` process on a free port, with `env` on top of this process's environment. */
export async function startServer(args: string[], env: Record<string, string>): Promise<ServerProcess> {
  const [port] = await freePorts(1);
  const child = spawn(
    process.execPath,
    [SAMPLIT_BIN, 'serve', '--port', String(port), '--host', '127.0.0.1', ...args],
    // The visual editor's app on a port of the OS's choosing: its default, the next port, may be taken.
    {
      env: { ...process.env, LOG_LEVEL: 'warn', SAMPLIT_EDITOR_PORT: '0', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const server: ServerProcess = {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
  try {
    await waitUntilUp(port, child, 60_000);
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}: ${stderr}`);
  }
  return server;
}
