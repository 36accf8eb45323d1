import type { Dialect, Tx } from '../../db/database.js';
import { preparedQuery } from '../../db/prepared.js';
import type { Row } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';
import { newId, nowIso } from '../../lib/ids.js';
import { parseJson } from '../../lib/json.js';
import { indexDocument } from '../search/index.js';

export type CustomerRow = Row<'customers'>;

export function presentCustomer(row: CustomerRow) {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    organizationId: row.organization_id,
    lifetimeValue: Number(row.lifetime_value),
    tier: row.tier,
    customFields: parseJson<Record<string, unknown>>(row.custom_fields, {}),
    mergedIntoId: row.merged_into_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
export type Customer = ReturnType<typeof presentCustomer>;

export async function findCustomer(trx: Tx, workspaceId: string, id: string): Promise<CustomerRow | undefined> {
  return trx.selectFrom('customers').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export async function requireCustomer(trx: Tx, workspaceId: string, id: string): Promise<CustomerRow> {
  const customer = await findCustomer(trx, workspaceId, id);
  if (!customer) throw notFound('Customer');
  return customer;
}

/** Follows merges, so an address that belonged to a merged duplicate finds the surviving customer. */
// Every ticket created from an address looks its customer up (see db/prepared.ts).
const selectCustomerByEmail = preparedQuery((db, args: { workspaceId: string; email: string }) =>
  db.selectFrom('customers').selectAll().where('workspace_id', '=', args.workspaceId).where('email', '=', args.email).orderBy('merged_into_id', 'desc'),
);

export async function findCustomerByEmail(trx: Tx, workspaceId: string, email: string): Promise<CustomerRow | undefined> {
  const row = (await selectCustomerByEmail(trx, { workspaceId, email: email.toLowerCase() })).rows[0];
  if (row?.merged_into_id) return findCustomer(trx, workspaceId, row.merged_into_id);
  return row;
}

export async function insertCustomer(
  trx: Tx,
  dialect: Dialect,
  input: { workspaceId: string; name: string; email?: string | null; phone?: string | null; organizationId?: string | null; lifetimeValue?: number; customFields?: Record<string, unknown> },
): Promise<CustomerRow> {
  const now = nowIso();
  const row: CustomerRow = {
    id: newId(),
    workspace_id: input.workspaceId,
    name: input.name,
    email: input.email?.toLowerCase() ?? null,
    phone: input.phone ?? null,
    organization_id: input.organizationId ?? null,
    lifetime_value: input.lifetimeValue ?? 0,
    tier: 'standard',
    custom_fields: JSON.stringify(input.customFields ?? {}),
    merged_into_id: null,
    created_at: now,
    updated_at: now,
  };
  await trx.insertInto('customers').values(row).execute();
  await indexCustomer(trx, dialect, row);
  return row;
}

export async function indexCustomer(trx: Tx, dialect: Dialect, row: CustomerRow): Promise<void> {
  await indexDocument(trx, dialect, { workspaceId: row.workspace_id, kind: 'customer', refId: row.id, ticketId: null, body: [row.name, row.email, row.phone].filter(Boolean).join(' ') });
}

export async function requireOrganization(trx: Tx, workspaceId: string, id: string) {
  const organization = await trx.selectFrom('organizations').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!organization) throw notFound('Organization');
  return organization;
}

export function presentOrganization(row: Row<'organizations'>) {
  return { id: row.id, name: row.name, domain: row.domain, createdAt: row.created_at };
}
