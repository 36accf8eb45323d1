import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const postgresUrl = process.env.RAVING_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

export interface BenchDatabase {
  environment: Record<string, string>;
  dispose(): Promise<void>;
}

/** A fresh SQLite folder or PostgreSQL schema, described as the environment a server process needs. */
export async function benchDatabase(dialect: 'sqlite' | 'postgres'): Promise<BenchDatabase> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'raving-bench-'));
  if (dialect === 'sqlite') return { environment: { RAVING_DATA_DIR: directory }, dispose: async () => fs.rmSync(directory, { recursive: true, force: true }) };
  const schema = `bench_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    environment: { RAVING_DATA_DIR: directory, RAVING_DATABASE_URL: url.toString() },
    dispose: async () => {
      const cleanup = new pg.Client({ connectionString: postgresUrl });
      await cleanup.connect();
      await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
      await cleanup.end();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

export interface RunningServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a server script in its own process, so the load generator does not share its event loop. */
export async function startProcess(script: string, environment: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, RAVING_LOG_LEVEL: 'warn', RAVING_SMTP_ENABLED: '0', ...environment, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      await fetch(url + '/api/v1/setup');
      break;
    } catch {
      if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface BenchResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * The load generator's HTTP client: node:http over keep-alive sockets (at most 32 per server, one
 * per concurrent client). Global fetch (undici bundled in Node 20) costs the client more CPU than a
 * bare Fastify handler costs the server, so on 2 cores the reference measured the client, not HTTP.
 */
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 32 });

export function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<BenchResponse> {
  return new Promise((resolve, reject) => {
    const headers = options.body === undefined ? options.headers : { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) };
    const request = http.request(url, { method: options.method ?? 'GET', headers, agent: keepAlive }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

/** Runs `total` requests from `concurrency` loops; returns requests per second and latencies. */
export async function load(concurrency: number, total: number, sendOne: (index: number) => Promise<boolean>) {
  let next = 0;
  let failures = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const index = next++;
        if (index >= total) return;
        const begin = performance.now();
        const ok = await sendOne(index).catch(() => false);
        latencies.push(performance.now() - begin);
        if (!ok) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: total / seconds, failures, p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}

/**
 * CPU time (user + system) a process has used so far, from /proc (Linux); null elsewhere. Unlike
 * requests per second it hardly depends on what else the machine is doing, so runs on a loaded
 * machine stay comparable.
 */
export function cpuMillisecondsOf(pid: number | undefined): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, in clock ticks of 1/100 s (USER_HZ on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

export function row(label: string, value: string, reference = ''): void {
  console.log(`  ${label.padEnd(58)} ${value.padStart(14)}   ${reference}`);
}

/** A workspace owner's write API token on a fresh server, after first-run setup. */
export async function ownerToken(server: RunningServer): Promise<string> {
  const setup = await fetch(server.url + '/api/v1/setup', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ workspaceName: 'Bench', ownerName: 'Bench Owner', email: 'bench@bench.example', password: 'bench-password-123' }),
  });
  const cookie = setup.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await setup.json()) as { csrfToken: string };
  const token = await fetch(server.url + '/api/v1/api-tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ name: 'bench', scopes: ['write'] }),
  });
  return ((await token.json()) as { token: string }).token;
}

/** Prints the title, then measures each dialect in turn and prints its name and its rows. */
export async function benchEachDialect<R>(title: string, dialects: Array<'sqlite' | 'postgres'>, measure: (dialect: 'sqlite' | 'postgres') => Promise<R>, print: (result: R) => void): Promise<R[]> {
  console.log(title);
  const results: R[] = [];
  for (const dialect of dialects) {
    const result = await measure(dialect);
    results.push(result);
    console.log(`  ${dialect}`);
    print(result);
  }
  return results;
}
