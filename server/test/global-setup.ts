import pg from 'pg';

/**
 * Decides once whether the PostgreSQL half of the suite runs. With CI=true it must: a missing
 * PostgreSQL fails the run instead of quietly halving it.
 */
export default async function setup(): Promise<void> {
  const url = process.env.RAVING_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    process.env.RAVING_TEST_POSTGRES_URL = url;
    process.env.RAVING_TEST_DIALECTS = 'sqlite,postgres';
  } catch (error) {
    if (process.env.CI === 'true') {
      throw new Error(`CI=true but PostgreSQL is not reachable at ${url}: ${(error as Error).message}`);
    }
    process.env.RAVING_TEST_DIALECTS = 'sqlite';
    console.warn(`\n*** PostgreSQL is not reachable at ${url}: the PostgreSQL suite is SKIPPED; only SQLite runs. ***\n`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
