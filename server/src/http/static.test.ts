import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../context.js';
import { registerStatic } from './static.js';

describe('the web app server', () => {
  const apps: App[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  async function serve(directory: string): Promise<App> {
    const app = Fastify({ logger: false }) as unknown as App;
    apps.push(app);
    await registerStatic(app, directory);
    return app;
  }
  const build = (directory: string) => {
    fs.mkdirSync(path.join(directory, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(directory, 'assets', 'main-abc123.js'), 'console.log("raving")');
    fs.writeFileSync(path.join(directory, 'index.html'), '<!doctype html><script src="/assets/main-abc123.js"></script>');
  };

  it('serves a build that lands after the server started, without a restart', async () => {
    const directory = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'raving-static-')), 'dist');
    const app = await serve(directory);
    expect((await app.inject('/tickets/123')).statusCode).toBe(503);
    expect((await app.inject('/assets/main-abc123.js')).statusCode).toBe(404);

    build(directory);
    const page = await app.inject('/tickets/123');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('/assets/main-abc123.js');
    expect(page.headers['cache-control']).toBe('no-cache');
    const asset = await app.inject('/assets/main-abc123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log("raving")');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.inject('/assets/missing-000.js')).statusCode).toBe(404);
  });

  it('answers 503, not an error, while a rebuild has removed index.html', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'raving-static-'));
    build(directory);
    const app = await serve(directory);
    expect((await app.inject('/')).statusCode).toBe(200);
    fs.rmSync(path.join(directory, 'index.html'));
    expect((await app.inject('/')).statusCode).toBe(503);
    build(directory);
    expect((await app.inject('/')).statusCode).toBe(200);
  });

  it('serves nothing outside its directory', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'raving-static-'));
    fs.writeFileSync(path.join(parent, 'secret.txt'), 'secret');
    const directory = path.join(parent, 'dist');
    build(directory);
    const app = await serve(directory);
    const escaped = await app.inject('/%2e%2e/secret.txt');
    expect(escaped.statusCode).toBe(404);
    expect(escaped.body).not.toContain('secret');
  });
});
