import type { Actor, UnitOfWork } from '../../events/events.js';
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

/**
 * Imports lifetime value by email: a new email creates the customer, a known one updates its value.
 * Importing the same file again changes nothing. Bad rows are reported by line and skipped; the
 * good rows are applied together.
 */
export async function importCustomerValues(uow: UnitOfWork, services: ValueServices, workspaceId: string, actor: Actor, text: string) {
  const { rows, errors } = readRows(text);
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  for (const row of rows) {
    let customer = await findCustomerByEmail(uow.trx, workspaceId, row.email);
    const isNew = !customer;
    if (!customer) {
      customer = await createCustomer(uow, services, workspaceId, actor, { name: row.name ?? row.email.split('@')[0]!, email: row.email });
      created++;
    }
    const current = await findCustomerValue(uow.trx, workspaceId, customer.id);
    const isSame = current && Number(current.revenue_to_date) === row.revenueToDate && Number(current.orders) === row.orders && Number(current.expected_future_value) === row.expectedFutureValue;
    if (isSame) {
      unchanged++;
      continue;
    }
    if (!isNew) updated++;
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
  await recomputeTiers(uow, services.bus, workspaceId, actor);
  return { rows: rows.length + errors.filter((error) => error.line > 1).length, created, updated, unchanged, errors: errors.sort((a, b) => a.line - b.line) };
}
