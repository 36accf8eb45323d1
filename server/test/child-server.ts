import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface ChildServer {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Signals the whole process group (npm → sh → tsx → node), then waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs Raving as a real process, the way an operator would, and waits until it listens.
 * The process leads its own group so a signal reaches the server itself, not only a wrapper.
 */
export async function startChildServer(options: { command: string; args: string[]; environment: Record<string, string>; port: number; timeoutMilliseconds?: number }): Promise<ChildServer> {
  const child = spawn(options.command, options.args, {
    cwd: repositoryRoot,
    env: { ...process.env, RAVING_LOG_LEVEL: 'warn', HOST: '127.0.0.1', RAVING_SMTP_ENABLED: '0', ...options.environment, PORT: String(options.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.timeoutMilliseconds ?? 60_000);
  let running = true;
  void exited.then(() => (running = false));
  for (;;) {
    if (!running) throw new Error(`the server exited before listening:\n${output}`);
    if (Date.now() > deadline) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`the server did not listen within the time limit:\n${output}`);
    }
    try {
      const response = await fetch(`${url}/api/v1/setup`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (running) {
        try {
          process.kill(-child.pid!, signal);
        } catch {
          // already gone
        }
      }
      return exited;
    },
  };
}

/** The server itself in one process (no wrapper), so SIGKILL lands on it. */
export function serverCommand(): { command: string; args: string[] } {
  return { command: process.execPath, args: ['--import', 'tsx', 'server/src/main.ts'] };
}
