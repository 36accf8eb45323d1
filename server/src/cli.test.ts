import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, describeEachDialect, type TestServer } from '../test/harness.js';
import { ApiClient } from '../test/client.js';

const cli = path.resolve('server/src/cli.ts');

/** Runs `npm run setup`'s command in a child process, feeding `input` as typed lines. */
function runSetup(environment: Record<string, string>, args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'setup', ...args], { env: { ...process.env, RAVING_LOG_LEVEL: 'silent', PORT: '4321', ...environment }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdin.end(input);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describeEachDialect('npm run setup', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    // The server shares the database with the CLI; sign-in through it proves the CLI made a real owner.
    server = await startTestServer(dialect);
  });
  afterAll(() => server.close());

  it('asks for the workspace and owner, re-asks on a bad answer, sets up, and prints where to sign in; then refuses a second setup', async () => {
    const environment = server.database.environment;
    const answers = ['Bright Bikes', 'Ada Owner', 'not-an-email', 'Ada@Bright.example', 'short', 'a long enough password', ''].join('\n');
    const first = await runSetup(environment, [], answers);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Workspace name:');
    expect(first.stdout).toMatch(/The email .*try again/);
    expect(first.stdout).toMatch(/The password .*10 characters.*try again/);
    expect(first.stdout).toContain('open http://localhost:4321/ and sign in');

    const owner = new ApiClient(server.url);
    const signIn = await owner.post('/api/v1/auth/sign-in', { email: 'ada@bright.example', password: 'a long enough password' });
    expect(signIn.status).toBe(200);
    const workspace = await owner.get('/api/v1/workspace');
    expect(workspace.body).toMatchObject({ name: 'Bright Bikes' });

    const second = await runSetup(environment, ['--workspace', 'Other', '--name', 'Eve', '--email', 'eve@example.com', '--password', 'another long password']);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('Raving is already set up (1 workspace). Sign in at http://localhost:4321/');
    const unknownFlag = await runSetup(environment, ['--colour', 'blue']);
    expect(unknownFlag.code).toBe(2);
  });
});
