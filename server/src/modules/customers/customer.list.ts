import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { z } from 'zod';
import type { Tx } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { DomainError } from '../../http/errors.js';
import { decodeCursor, encodeCursor, toPage } from '../../http/pagination.js';
import { presentCustomer } from './customer.repo.js';
import type { CustomerFilters, ListCustomersQuerySchema } from './customer.schema.js';

type ListQuery = z.output<typeof ListCustomersQuerySchema>;

/**
 * Each sort is one key plus the id as tie-breaker, so keyset pagination stays one comparison.
 * Names sort by lower(name) so "alice" and "Bob" come in the order a person expects; the
 * comparison in the cursor condition uses the same expression, so pages meet exactly.
 */
const sorts: Record<ListQuery['sort'], { key: RawBuilder<string | number>; descending: boolean; numeric: boolean }> = {
  '-createdAt': { key: sql`customers.created_at`, descending: true, numeric: false },
  name: { key: sql`lower(customers.name)`, descending: false, numeric: false },
  '-lifetimeValue': { key: sql`customers.lifetime_value`, descending: true, numeric: true },
};

/** The search text as a LIKE pattern that matches it literally anywhere: %, _ and \ are escaped. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
}

/**
 * The list's filters, always within the workspace and over surviving (unmerged) customers.
 * The search is a substring match, a scan of the workspace's customers: fine for thousands; lower()
 * folds only ASCII on SQLite (PostgreSQL folds every letter).
 */
function filtered<Output>(select: SelectQueryBuilder<Database, 'customers', Output>, workspaceId: string, query: CustomerFilters) {
  select = select.where('workspace_id', '=', workspaceId).where('merged_into_id', 'is', null);
  if (query.email) select = select.where('email', '=', query.email.toLowerCase());
  if (query.organizationId) select = select.where('organization_id', '=', query.organizationId);
  if (query.tier) select = select.where('tier', '=', query.tier);
  if (query.q) {
    const pattern = containsPattern(query.q);
    select = select.where(sql<boolean>`(lower(customers.name) like ${pattern} escape '\\' or lower(coalesce(customers.email, '')) like ${pattern} escape '\\')`);
  }
  return select;
}

export async function countCustomers(trx: Tx, workspaceId: string, query: CustomerFilters): Promise<number> {
  const row = await filtered(trx.selectFrom('customers').select((eb) => eb.fn.countAll<number | string>().as('count')), workspaceId, query).executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function listCustomers(trx: Tx, workspaceId: string, query: ListQuery) {
  const sort = sorts[query.sort];
  const cursor = decodeCursor(query.cursor);
  let select = filtered(trx.selectFrom('customers').selectAll().select(sort.key.as('sort_value')), workspaceId, query);
  if (cursor) {
    const value = sort.numeric ? Number(cursor.sortValue) : String(cursor.sortValue);
    if (sort.numeric && (typeof cursor.sortValue !== 'number' || !Number.isFinite(value))) {
      throw new DomainError('validation_failed', 'The cursor is not one this API handed out.', [{ path: 'querystring.cursor', message: 'is not valid' }]);
    }
    const comparison = sort.descending ? '<' : '>';
    select = select.where((eb) => eb.or([eb(sort.key, comparison, value), eb.and([eb(sort.key, '=', value), eb('id', comparison, cursor.id)])]));
  }
  const direction = sort.descending ? 'desc' : 'asc';
  const rows = await select.orderBy(sort.key, direction).orderBy('id', direction).limit(query.limit + 1).execute();
  const page = toPage(rows, query.limit, (row) => encodeCursor(sort.numeric ? Number(row.sort_value) : String(row.sort_value), row.id));
  return { items: page.items.map(({ sort_value: _, ...row }) => presentCustomer(row)), nextCursor: page.nextCursor };
}
