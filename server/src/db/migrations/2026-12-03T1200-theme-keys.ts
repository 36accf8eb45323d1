import type { Kysely } from 'kysely';

/**
 * Candidate themes were looked up by single tokens, and a common word ("broken", "order") sits in
 * thousands of themes, so each feedback item read and grouped thousands of rows. A phrase can only
 * join a theme by sharing two tokens, or one token with a theme of a few tokens (see
 * theme.match.ts), so themes are keyed by each pair of their tokens (size 0) and by each single
 * token with the theme's size, which lets the lookup skip large themes for single words.
 * Frozen in time: never import application code (the key rule is repeated here on purpose).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('theme_keys')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('theme_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('theme_keys_pk', ['workspace_id', 'key', 'size', 'theme_id'])
    .execute();
  const themes: Array<{ id: string; workspace_id: string; signature: string }> = await db.selectFrom('themes').select(['id', 'workspace_id', 'signature']).execute();
  const rows: Array<{ workspace_id: string; key: string; size: number; theme_id: string }> = [];
  for (const theme of themes) {
    let tokens: string[] = [];
    try {
      tokens = [...new Set(JSON.parse(theme.signature) as string[])].sort();
    } catch {
      tokens = [];
    }
    tokens.forEach((token, index) => {
      rows.push({ workspace_id: theme.workspace_id, key: token, size: tokens.length, theme_id: theme.id });
      for (const other of tokens.slice(index + 1)) rows.push({ workspace_id: theme.workspace_id, key: `${token} ${other}`, size: 0, theme_id: theme.id });
    });
  }
  for (let start = 0; start < rows.length; start += 200) await db.insertInto('theme_keys').values(rows.slice(start, start + 200)).execute();
  await db.schema.dropTable('theme_tokens').execute();
}
