import type { Db } from '../../db/database.js';
import { inUnitOfWork, type Actor, type UnitOfWork } from '../../events/events.js';
import { DomainError } from '../../http/errors.js';
import { EmailSchema } from '../../http/schemas.js';
import { createCustomer, findCustomerByEmail } from '../customers/index.js';
import { parseCsv } from './csv.js';
import { findCustomerValue, upsertCustomerValue, type CustomerValueInput } from './value.repo.js';
import { recomputeTiers } from './tiers.js';
import type { ValueServices } from './value.service.js';

const maximumRows = 50_000;

/** Header spellings people actually export, normalised (lower case, no spaces, dashes or underscores). */
const columnAliases: Record<string, 'email' | 'name' | 'revenueToDate' | 'orders' | 'expectedFutureValue'> = {
  email: 'email',
  emailaddress: 'email',
  name: 'name',
  fullname: 'name',
  revenue: 'revenueToDate',
  revenuetodate: 'revenueToDate',
  totalrevenue: 'revenueToDate',
  orders: 'orders',
  ordercount: 'orders',
  expectedfuturevalue: 'expectedFutureValue',
  futurevalue: 'expectedFutureValue',
  expectedvalue: 'expectedFutureValue',
};

interface ImportRow extends CustomerValueInput {
  line: number;
  email: string;
  name: string | undefined;
}

/** "1234.5", "1,234.50", "$1,234.50" and "" (zero); anything else is refused rather than guessed. */
function parseAmount(cell: string | undefined, isInteger: boolean): number | null {
  const text = (cell ?? '').trim().replace(/^[$€£]/, '');
  if (text === '') return 0;
  const plain = /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(text) ? text.replaceAll(',', '') : text;
  if (!(isInteger ? /^\d{1,12}$/ : /^\d{1,13}(\.\d{1,4})?$/).test(plain)) return null;
  return Number(plain);
}

function readRows(text: string): { rows: ImportRow[]; errors: Array<{ line: number; message: string }> } {
  const parsed = parseCsv(text);
  const errors = [...parsed.errors];
  const [header, ...records] = parsed.records;
  if (!header) throw new DomainError('validation_failed', 'The file is empty.', [{ path: 'body', message: 'has no header row' }]);
  const columns = header.cells.map((cell) => columnAliases[cell.trim().toLowerCase().replace(/[\s_-]/g, '')]);
  if (!columns.includes('email')) throw new DomainError('validation_failed', 'The header row has no "email" column.', [{ path: 'body', message: 'line 1: no email column' }]);
  if (records.length > maximumRows) throw new DomainError('validation_failed', `At most ${maximumRows} rows per import; split the file.`, [{ path: 'body', message: 'too many rows' }]);
  const rows: ImportRow[] = [];
  for (const record of records) {
    const cells: Partial<Record<NonNullable<(typeof columns)[number]>, string>> = {};
    columns.forEach((column, index) => {
      if (column) cells[column] = record.cells[index];
    });
    const email = EmailSchema.safeParse(cells.email ?? '');
    if (!email.success) {
      errors.push({ line: record.line, message: 'email is missing or not an email address' });
      continue;
    }
    const name = cells.name?.trim();
    if (name && (name.length > 200 || /[\u0000-\u001f\u007f]/.test(name))) {
      errors.push({ line: record.line, message: 'name is longer than 200 characters or contains control characters' });
      continue;
    }
    const revenueToDate = parseAmount(cells.revenueToDate, false);
    const orders = parseAmount(cells.orders, true);
    const expectedFutureValue = parseAmount(cells.expectedFutureValue, false);
    if (revenueToDate === null || orders === null || expectedFutureValue === null) {
      errors.push({ line: record.line, message: 'revenue, orders and expected future value must be non-negative numbers (orders a whole number)' });
      continue;
    }
    rows.push({ line: record.line, email: email.data, name: name || undefined, revenueToDate, orders, expectedFutureValue });
  }
  return { rows, errors };
}

/** Rows per transaction: a big file never holds the (SQLite: only) writer for long. */
const chunkSize = 500;

/**
 * Imports lifetime value by email: a new email creates the customer, a known one updates its value.
 * Importing the same file again changes nothing. Bad rows, and an email seen again further down,
 * are reported by line and skipped; nothing else is. The good rows are applied in transactions of
 * 500, so an interrupted import is finished by importing the same file again.
 */
export async function importCustomerValues(db: Db, services: ValueServices, workspaceId: string, actor: Actor, text: string) {
  const { rows: read, errors } = readRows(text);
  const dataRows = read.length + errors.filter((error) => error.line > 1).length;
  const firstLine = new Map<string, number>();
  const rows = read.filter((row) => {
    const key = row.email.toLowerCase();
    const seen = firstLine.get(key);
    if (seen === undefined) return firstLine.set(key, row.line);
    errors.push({ line: row.line, message: `${row.email} is already on line ${seen}; this row was skipped` });
    return false;
  });
  const totals = { created: 0, updated: 0, unchanged: 0 };
  for (let start = 0; start < rows.length || start === 0; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    const isLast = start + chunkSize >= rows.length;
    await inUnitOfWork(db, services.bus, async (uow) => {
      const counts = await importChunk(uow, services, workspaceId, actor, chunk);
      // Once, at the end: the tiers depend on every row.
      if (isLast) await recomputeTiers(uow, services.bus, workspaceId, actor);
      totals.created += counts.created;
      totals.updated += counts.updated;
      totals.unchanged += counts.unchanged;
    });
  }
  return { rows: dataRows, ...totals, errors: errors.sort((a, b) => a.line - b.line) };
}

/** One transaction's rows: customers and values are read in one query each, not per row. */
async function importChunk(uow: UnitOfWork, services: ValueServices, workspaceId: string, actor: Actor, rows: ImportRow[]) {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  if (rows.length === 0) return counts;
  const known = await uow.trx
    .selectFrom('customers')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('email', 'in', rows.map((row) => row.email.toLowerCase()))
    .where('merged_into_id', 'is', null)
    .execute();
  const byEmail = new Map(known.map((customer) => [customer.email!, customer]));
  const values = await uow.trx.selectFrom('customer_values').selectAll().where('workspace_id', '=', workspaceId).where('customer_id', 'in', known.length ? known.map((customer) => customer.id) : ['']).execute();
  const valueOf = new Map(values.map((value) => [value.customer_id, value]));
  for (const row of rows) {
    // An email that only a merged customer had still belongs to the customer it was merged into.
    let customer = byEmail.get(row.email.toLowerCase()) ?? (await findCustomerByEmail(uow.trx, workspaceId, row.email));
    const isNew = !customer;
    if (!customer) {
      customer = await createCustomer(uow, services, workspaceId, actor, { name: row.name ?? row.email.split('@')[0]!, email: row.email });
      counts.created++;
    }
    const current = valueOf.get(customer.id) ?? (isNew || byEmail.has(row.email.toLowerCase()) ? undefined : await findCustomerValue(uow.trx, workspaceId, customer.id));
    const isSame = current && Number(current.revenue_to_date) === row.revenueToDate && Number(current.orders) === row.orders && Number(current.expected_future_value) === row.expectedFutureValue;
    if (isSame) {
      counts.unchanged++;
      continue;
    }
    if (!isNew) counts.updated++;
    await upsertCustomerValue(uow.trx, workspaceId, customer.id, row, 'import');
    await services.bus.append(uow, {
      workspaceId,
      actor,
      type: 'customer.value_changed',
      subjectType: 'customer',
      subjectId: customer.id,
      payload: { revenueToDate: row.revenueToDate, orders: row.orders, expectedFutureValue: row.expectedFutureValue, lifetimeValue: row.revenueToDate + row.expectedFutureValue, source: 'import' },
    });
  }
  return counts;
}
