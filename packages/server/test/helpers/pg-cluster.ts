import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';

/** Whether this machine can create a throw-away PostgreSQL cluster (Debian's postgresql-common, as root). */
export const canCreateCluster =
  existsSync('/usr/bin/pg_createcluster') && typeof process.getuid === 'function' && process.getuid() === 0;

export interface PgCluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust auth). */
  url: string;
  port: number;
  name: string;
  ctl(action: 'start' | 'stop' | 'restart'): void;
  destroy(): void;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A PostgreSQL cluster of the machine's own version that only this test uses, so it may be
 * stopped, restarted or have its cluster-wide roles dropped without touching the shared server.
 */
export async function createPgCluster(prefix: string): Promise<PgCluster> {
  const version = execFileSync('ls', ['/etc/postgresql'], { encoding: 'utf8' }).trim().split('\n')[0];
  const port = await freePort();
  const name = `${prefix}_${process.pid}_${port}`;
  execFileSync('pg_createcluster', [version, name, '--port', String(port), '--', '--auth=trust'], {
    stdio: 'ignore',
  });
  const ctl = (action: 'start' | 'stop' | 'restart') =>
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, action], { stdio: 'ignore' });
  ctl('start');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    name,
    ctl,
    destroy() {
      execFileSync('pg_dropcluster', ['--stop', version, name], { stdio: 'ignore' });
    },
  };
}
