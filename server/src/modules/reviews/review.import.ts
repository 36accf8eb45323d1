import type { Actor, UnitOfWork } from '../../events/events.js';
import { parseCsv } from './review.csv.js';
import { ReviewInputSchema } from './review.schema.js';
import { receiveReview, type ReviewServices } from './review.service.js';

const maxRows = 5000;
const columnAliases: Record<string, string> = {
  source: 'source', platform: 'source', site: 'source',
  source_id: 'sourceId', sourceid: 'sourceId', id: 'sourceId', review_id: 'sourceId',
  kind: 'kind', type: 'kind',
  author: 'author', name: 'author', reviewer: 'author',
  author_email: 'authorEmail', email: 'authorEmail',
  rating: 'rating', stars: 'rating', score: 'rating',
  text: 'text', review: 'text', comment: 'text', body: 'text',
  url: 'url', link: 'url',
  date: 'postedAt', posted_at: 'postedAt', created_at: 'postedAt',
};

function cellValue(field: string, raw: string): unknown {
  // Control characters other than line breaks and tabs have no business in a review.
  const cell = raw.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
  if (cell === '') return undefined;
  if (field === 'rating') return /^\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell;
  if (field === 'postedAt') {
    const parsed = Date.parse(cell);
    return Number.isNaN(parsed) ? cell : new Date(parsed).toISOString();
  }
  if (field === 'kind') return cell.toLowerCase();
  return cell;
}

/** Imports a CSV of reviews row by row: a bad row is reported with its number and never stops the others. */
export async function importReviewsCsv(uow: UnitOfWork, services: ReviewServices, workspaceId: string, actor: Actor, csv: string, defaultSource?: string) {
  const { rows, truncated } = parseCsv(csv, maxRows + 1);
  const errors: { row: number; message: string }[] = [];
  const [header, ...records] = rows;
  if (!header) return { created: 0, unchanged: 0, errors: [{ row: 1, message: 'The file is empty.' }] };
  const fields = header.map((name) => columnAliases[name.trim().toLowerCase().replace(/[\s-]+/g, '_')]);
  if (!fields.includes('text') || !fields.includes('sourceId')) return { created: 0, unchanged: 0, errors: [{ row: 1, message: 'The header needs at least a "text" and a "source_id" column.' }] };
  if (truncated) errors.push({ row: maxRows + 2, message: `Only the first ${maxRows} rows are imported; split the file.` });
  let created = 0;
  let unchanged = 0;
  for (const [position, record] of records.entries()) {
    const rowNumber = position + 2;
    const candidate: Record<string, unknown> = {};
    fields.forEach((field, column) => {
      if (!field) return;
      const value = cellValue(field, record[column] ?? '');
      if (value !== undefined) candidate[field] = value;
    });
    candidate.source ??= defaultSource;
    const parsed = ReviewInputSchema.safeParse(candidate);
    if (!parsed.success) {
      errors.push({ row: rowNumber, message: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`).join('; ').slice(0, 500) });
      continue;
    }
    const result = await receiveReview(uow, services, workspaceId, actor, parsed.data);
    if (result.created) created++;
    else unchanged++;
  }
  return { created, unchanged, errors };
}
