import type { FastifyRequest } from 'fastify';
import type { App } from '../context.js';
import { DomainError } from './errors.js';

/** Deeper than any request this API defines; deeper input only serves to exhaust the stack. */
const maximumDepth = 32;

/**
 * Refuses input no route can want before it reaches a schema or the database: NUL characters
 * (PostgreSQL cannot store them in text, so they would surface as a 500) and absurd nesting
 * (recursive code such as JSON.stringify would overflow the stack). Walks iteratively for the
 * same reason.
 */
export function findHostileInput(value: unknown, root: string): { path: string; message: string } | undefined {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: root, depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === 'string') {
      if (item.value.includes('\u0000')) return { path: item.path, message: 'must not contain NUL characters' };
      continue;
    }
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth >= maximumDepth) return { path: item.path, message: `is nested deeper than ${maximumDepth} levels` };
    for (const [key, child] of Object.entries(item.value)) {
      if (key.includes('\u0000')) return { path: item.path, message: 'has a key containing a NUL character' };
      stack.push({ value: child, path: `${item.path}.${key}`, depth: item.depth + 1 });
    }
  }
  return undefined;
}

export function registerInputGuard(app: App): void {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    for (const [part, value] of [['params', request.params], ['querystring', request.query], ['body', request.body]] as const) {
      const problem = findHostileInput(value, part);
      if (problem) throw new DomainError('validation_failed', `${problem.path}: ${problem.message}`, [problem]);
    }
  });
}
