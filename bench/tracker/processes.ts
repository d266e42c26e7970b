import { type ChildProcess, spawn } from 'node:child_process';

/** Starts a server process and resolves once `healthUrl` answers 2xx. */
export async function startProcess(
  command: string[],
  env: Record<string, string>,
  healthUrl: string,
  init?: RequestInit,
  cwd?: string,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, command, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${command.join(' ')} exited: ${stderr}`);
    try {
      if ((await fetch(healthUrl, init)).status < 500) return child;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${command.join(' ')} did not start: ${stderr}`);
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
