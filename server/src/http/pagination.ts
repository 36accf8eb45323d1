import { z } from 'zod';
import { DomainError } from './errors.js';

export const PageQuerySchema = z.object({
  cursor: z.string().max(500).optional().describe('Opaque cursor from the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Cursors are opaque to clients: the sort value and the id of the last row, base64url-encoded. */
export function encodeCursor(sortValue: string | number, id: string): string {
  return Buffer.from(JSON.stringify([sortValue, id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): { sortValue: string | number; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // A NUL could not reach PostgreSQL as text, and a non-finite number is no sort value: refused like any forged cursor.
    const isSortValue = (value: unknown) => (typeof value === 'string' && !value.includes('\u0000')) || (typeof value === 'number' && Number.isFinite(value));
    if (Array.isArray(parsed) && parsed.length === 2 && isSortValue(parsed[0]) && typeof parsed[1] === 'string' && !parsed[1].includes('\u0000')) {
      return { sortValue: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new DomainError('validation_failed', 'The cursor is not one this API handed out.', [{ path: 'querystring.cursor', message: 'is not valid' }]);
}

/** Takes limit+1 rows: the extra one only tells whether there is a next page. */
export function toPage<T>(rows: T[], limit: number, cursorOf: (row: T) => string) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? cursorOf(last) : null };
}
