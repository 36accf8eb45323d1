import { generateDemoData } from '../server/src/modules/demo/index.js';
import { backfillWaitingSince } from '../server/src/db/migrations/2026-12-03T1000-ticket-waiting-since.js';
import { startTestServer } from '../server/test/harness.js';
import { setUpWorkspace } from '../server/test/client.js';
import { median, postgresUrl } from './lib.js';

/** The inbox's standard views, with the filters web/src/features/inbox/views.ts gives them. */
const views: Record<string, string> = {
  mine: 'assigneeId=me&statusCategory=new,open,pending,on_hold',
  unassigned: 'assigneeId=none&statusCategory=new,open',
  open: 'statusCategory=new,open',
  pending: 'statusCategory=pending,on_hold',
  solved: 'statusCategory=solved,closed',
  'urgent+tag': 'priority=urgent&tag=billing',
};

export interface InboxCountsBenchResult {
  dialect: 'sqlite' | 'postgres';
  tickets: number;
  /** The migration's backfill of waiting_since over every demo ticket, once. */
  backfillMs: number;
  /** GET /api/v1/tickets/count per view over HTTP, median of rounds. */
  countMs: Record<string, number>;
  counts: Record<string, number>;
  /** First page (100) of open tickets by sort=waitingSince, and by the indexed -updatedAt for reference. */
  waitingSortMs: number;
  updatedAtSortMs: number;
}

/**
 * Exact view counts (one COUNT per view, on the (workspace, status category) and (workspace,
 * assignee, status category) indexes) and the waitingSince order, over demo tickets whose
 * waiting_since the migration's backfill fills (the demo generator writes tickets directly).
 */
export async function measureInboxCounts(options: { dialect?: 'sqlite' | 'postgres'; tickets?: number; rounds?: number } = {}): Promise<InboxCountsBenchResult> {
  const dialect = options.dialect ?? 'sqlite';
  const tickets = options.tickets ?? 10_000;
  // The test harness finds PostgreSQL through the variable vitest's global setup sets.
  process.env.RAVING_TEST_POSTGRES_URL ??= postgresUrl;
  const server = await startTestServer(dialect);
  try {
    const { owner, workspaceId } = await setUpWorkspace(server.url);
    const session = await owner.get('/api/v1/auth/session');
    await generateDemoData(server.database.handle, { workspaceId, ownerStaffId: session.body.workspace.staffId, tickets });
    const backfillStarted = performance.now();
    await backfillWaitingSince(server.database.handle.db);
    const backfillMs = Math.round(performance.now() - backfillStarted);
    const time = async (path: string) => {
      const rounds: number[] = [];
      let body: { count?: number } = {};
      for (let round = 0; round < (options.rounds ?? 7); round++) {
        const started = performance.now();
        const response = await owner.get(path);
        if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
        rounds.push(performance.now() - started);
        body = response.body;
      }
      return { ms: Math.round(median(rounds) * 10) / 10, body };
    };
    const countMs: Record<string, number> = {};
    const counts: Record<string, number> = {};
    for (const [name, filters] of Object.entries(views)) {
      const measured = await time(`/api/v1/tickets/count?${filters}`);
      countMs[name] = measured.ms;
      counts[name] = measured.body.count!;
    }
    const waitingSortMs = (await time('/api/v1/tickets?statusCategory=new,open&sort=waitingSince&limit=100')).ms;
    const updatedAtSortMs = (await time('/api/v1/tickets?statusCategory=new,open&sort=-updatedAt&limit=100')).ms;
    return { dialect, tickets, backfillMs, countMs, counts, waitingSortMs, updatedAtSortMs };
  } finally {
    await server.close();
  }
}

/** For bench/run.ts: one line per dialect. */
export async function benchInboxCounts(options: { tickets: number; rounds: number; dialects: Array<'sqlite' | 'postgres'> }): Promise<void> {
  console.log('\nInbox view counts (GET /tickets/count, one COUNT per view) and sort=waitingSince, over HTTP');
  for (const dialect of options.dialects) {
    const result = await measureInboxCounts({ dialect, tickets: options.tickets, rounds: options.rounds });
    const perView = Object.entries(result.countMs).map(([name, ms]) => `${name} ${result.counts[name]} in ${ms} ms`).join(', ');
    console.log(`  ${dialect}, ${result.tickets} tickets: ${perView}`);
    console.log(`  ${dialect}: waitingSince first page ${result.waitingSortMs} ms (reference -updatedAt ${result.updatedAtSortMs} ms); backfill ${result.backfillMs} ms`);
  }
}
