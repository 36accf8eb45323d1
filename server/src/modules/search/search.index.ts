import { sql } from 'kysely';
import type { Dialect, Tx } from '../../db/database.js';

export type SearchKind = 'ticket' | 'message' | 'customer';

export interface SearchDocument {
  workspaceId: string;
  kind: SearchKind;
  refId: string;
  ticketId: string | null;
  body: string;
}

export interface SearchHit {
  kind: SearchKind;
  refId: string;
  ticketId: string | null;
  snippet: string;
}

/**
 * One interface over two engines: SQLite FTS5 and PostgreSQL tsvector with GIN. Documents are
 * written in the same transaction as the record they index, so search never lags behind a 2xx.
 */
export async function indexDocument(trx: Tx, _dialect: Dialect, document: SearchDocument): Promise<void> {
  const body = document.body.slice(0, 100_000);
  await sql`INSERT INTO search_documents (workspace_id, kind, ref_id, ticket_id, body) VALUES (${document.workspaceId}, ${document.kind}, ${document.refId}, ${document.ticketId}, ${body})
    ON CONFLICT (kind, ref_id) DO UPDATE SET body = excluded.body, ticket_id = excluded.ticket_id`.execute(trx);
}

export async function moveDocumentsToTicket(trx: Tx, workspaceId: string, fromTicketId: string, toTicketId: string, messageIds?: string[]): Promise<void> {
  let query = trx.updateTable('search_documents').set({ ticket_id: toTicketId }).where('workspace_id', '=', workspaceId).where('ticket_id', '=', fromTicketId).where('kind', '=', 'message');
  if (messageIds) query = query.where('ref_id', 'in', messageIds);
  await query.execute();
}

export async function removeDocument(trx: Tx, kind: SearchKind, refId: string): Promise<void> {
  await trx.deleteFrom('search_documents').where('kind', '=', kind).where('ref_id', '=', refId).execute();
}

/** Words become prefix terms ANDed together; punctuation and operators from the user are dropped. */
function termsOf(query: string): string[] {
  return (query.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12).map((term) => term.toLowerCase());
}

/**
 * Ranking every match of a common word costs time in proportion to the whole archive, so hits are ranked among the
 * workspace's most recent matches only (a help desk mostly looks for recent conversations); rarer words never reach
 * the window, so nothing they match is missed. Recency is the FTS rowid on SQLite and the record's id on PostgreSQL
 * (ids are time-ordered).
 */
const candidateWindow = 400;

export async function searchDocuments(trx: Tx, dialect: Dialect, input: { workspaceId: string; query: string; kinds?: SearchKind[]; limit: number }): Promise<SearchHit[]> {
  const terms = termsOf(input.query);
  if (terms.length === 0) return [];
  const kinds = input.kinds && input.kinds.length > 0 ? input.kinds : ['ticket', 'message', 'customer'];
  if (dialect === 'sqlite') {
    const match = terms.map((term) => `"${term}"*`).join(' ');
    const result = await sql<{ kind: SearchKind; ref_id: string; ticket_id: string | null; snippet: string }>`
      SELECT kind, ref_id, ticket_id, snippet FROM (
        SELECT document.kind, document.ref_id, document.ticket_id, snippet(search_fts, 0, '', '', '…', 16) AS snippet, bm25(search_fts) AS score, search_fts.rowid AS recency
        FROM search_fts JOIN search_documents AS document ON document.id = search_fts.rowid
        WHERE search_fts MATCH ${match} AND document.workspace_id = ${input.workspaceId} AND document.kind IN (${sql.join(kinds)})
        ORDER BY search_fts.rowid DESC LIMIT ${candidateWindow})
      ORDER BY score, recency DESC LIMIT ${input.limit}`.execute(trx);
    return result.rows.map((row) => ({ kind: row.kind, refId: row.ref_id, ticketId: row.ticket_id, snippet: row.snippet }));
  }
  const tsQuery = terms.map((term) => `${term}:*`).join(' & ');
  const result = await sql<{ kind: SearchKind; ref_id: string; ticket_id: string | null; snippet: string }>`
    SELECT kind, ref_id, ticket_id,
      ts_headline('simple', body, to_tsquery('simple', ${tsQuery}), 'StartSel="",StopSel="",MaxWords=16,MinWords=5') AS snippet
    FROM (
      SELECT kind, ref_id, ticket_id, body, body_vector FROM search_documents
      WHERE workspace_id = ${input.workspaceId} AND kind IN (${sql.join(kinds)}) AND body_vector @@ to_tsquery('simple', ${tsQuery})
      ORDER BY ref_id DESC LIMIT ${candidateWindow}) AS candidate
    ORDER BY ts_rank(body_vector, to_tsquery('simple', ${tsQuery})) DESC, ref_id DESC LIMIT ${input.limit}`.execute(trx);
  return result.rows.map((row) => ({ kind: row.kind, refId: row.ref_id, ticketId: row.ticket_id, snippet: row.snippet }));
}
