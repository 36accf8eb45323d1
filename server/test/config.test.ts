import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, settingDefinitions } from '../src/config.js';
import { repositoryRoot, serverCommand } from './child-server.js';

/** Configuration: every setting documented in the README's table; bad values stop the start, naming the variable. */
describe('configuration', () => {
  it("every setting appears in README.md's configuration table, and the table lists no unknown setting", () => {
    const readme = fs.readFileSync(path.join(repositoryRoot, 'README.md'), 'utf8');
    const missing = Object.keys(settingDefinitions).filter((name) => !readme.includes(`| \`${name}\` |`));
    expect(missing, 'regenerate the table with scripts/config-table.ts').toEqual([]);
    const documented = [...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((match) => match[1]!);
    expect(documented.filter((name) => !(name in settingDefinitions))).toEqual([]);
  });

  it('every setting has a description', () => {
    for (const [name, definition] of Object.entries(settingDefinitions)) expect(definition.description.length, name).toBeGreaterThan(10);
  });

  it('defaults load, and each bad value is refused with a message naming its variable', () => {
    expect(loadConfig({}).PORT).toBe(3000);
    const bad: Record<string, string> = {
      PORT: 'abc',
      RAVING_DATABASE_URL: 'mysql://db/raving',
      RAVING_PUBLIC_URL: 'not a url',
      RAVING_SECRET: 'short',
      RAVING_LOG_LEVEL: 'loud',
      RAVING_BODY_LIMIT_BYTES: '-5',
      RAVING_DEMO: 'maybe',
      RAVING_TRUST_PROXY: 'everyone; DROP',
    };
    for (const [name, value] of Object.entries(bad)) {
      if (!(name in settingDefinitions)) continue;
      expect(() => loadConfig({ [name]: value }), name).toThrow(ConfigError);
      try {
        loadConfig({ [name]: value });
      } catch (error) {
        expect((error as Error).message).toContain(name);
      }
    }
  });

  it('the real server refuses to start with PORT=abc, naming PORT, and exits non-zero', () => {
    const { command, args } = serverCommand();
    const result = spawnSync(command, args, { cwd: repositoryRoot, env: { ...process.env, PORT: 'abc', RAVING_SMTP_ENABLED: '0', RAVING_DATA_DIR: '/nonexistent/never-created' }, encoding: 'utf8', timeout: 60_000 });
    expect(result.status).not.toBe(0);
    expect(result.status).not.toBeNull();
    expect(result.stderr).toMatch(/PORT/);
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(fs.existsSync('/nonexistent/never-created')).toBe(false);
  });
});
