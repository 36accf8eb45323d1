import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { App } from '../context.js';
import { DomainError } from './errors.js';

export const webDistDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

/**
 * Serves the built web app. Hashed assets are cached for a year; index.html never, so a new build
 * is picked up on the next load. Any GET outside /api that matches no file gets index.html, so the
 * browser's router can own paths such as /tickets/123.
 *
 * Whether the app is built is never remembered: a server started while web/dist was being (re)built
 * must serve the build as soon as it lands, without a restart. This costs nothing extra, since every
 * answer already touches the file it serves; a missing index.html simply answers 503 until it exists.
 */
export async function registerStatic(app: App, directory = webDistDirectory): Promise<void> {
  const index = path.join(directory, 'index.html');
  if (!fs.existsSync(index)) app.log.warn(`web app not built (${index} missing): run "npm run build:web"`);
  await app.register(fastifyStatic, {
    root: directory,
    // The directory may not exist yet (see above); the warning just logged says what to do.
    suppressWarning: true,
    // Served through the route below, so it carries `access: public` like every page of the app.
    serve: false,
    index: false,
    setHeaders: (response, filePath) => {
      if (filePath.includes(`${path.sep}assets${path.sep}`)) response.header('cache-control', 'public, max-age=31536000, immutable');
      else response.header('cache-control', 'no-cache');
    },
  });
  app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    if (pathname.startsWith('/api/')) throw new DomainError('not_found', `No route ${request.method} ${pathname}.`);
    let relative = '';
    try {
      relative = decodeURIComponent(pathname).replace(/^\/+/, '');
    } catch {
      return reply.code(400).type('text/plain').send('Bad path');
    }
    if (relative && path.extname(relative) !== '') {
      const file = path.resolve(directory, relative);
      // Only files inside web/dist: ../ in a path must not reach the rest of the disk.
      if (file.startsWith(directory + path.sep) && fs.statSync(file, { throwIfNoEntry: false })?.isFile()) return reply.sendFile(path.relative(directory, file));
    }
    // A missing hashed asset is a real 404, not the app shell (which the browser would parse as JavaScript).
    if (pathname.startsWith('/assets/') || path.extname(pathname) !== '') return reply.code(404).type('text/plain').send('Not found');
    // Read per request (it is small): a rebuild while the server runs must not leave it naming deleted chunks.
    const shell = readShell(index);
    if (shell === undefined) return reply.code(503).type('text/plain').send('The web app is not built yet: run "npm run build:web" (npm start builds it for you).');
    return reply
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'same-origin')
      .type('text/html; charset=utf-8')
      .send(shell);
  });
}

/** index.html, or undefined while there is none (not built yet, or between a rebuild's delete and write). */
function readShell(index: string): string | undefined {
  try {
    return fs.readFileSync(index, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
