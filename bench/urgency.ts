import { generateDemoData } from '../server/src/modules/demo/index.js';
import { startTestServer } from '../server/test/harness.js';
import { setUpWorkspace } from '../server/test/client.js';
import { median } from './lib.js';

export interface UrgencyBenchResult {
  dialect: 'sqlite' | 'postgres';
  tickets: number;
  /** First page (100) of open tickets, the inbox default order, over HTTP (median of rounds). */
  urgencyMs: number;
  /** The same page ordered by -updatedAt, an indexed column: the reference measured in the same run. */
  updatedAtMs: number;
}

/**
 * The inbox default order (sort=urgency) reads each open ticket's SLA targets and latest agitation
 * as correlated subqueries, so its cost grows with the number of open tickets in the queue. Demo
 * tickets get feelings (every ticket) and running SLA targets (three in five, due from an hour ago
 * to a day ahead) written straight into the tables, as the SLA and feelings modules would.
 */
export async function measureUrgencySort(options: { dialect?: 'sqlite' | 'postgres'; tickets?: number; rounds?: number } = {}): Promise<UrgencyBenchResult> {
  const dialect = options.dialect ?? 'sqlite';
  const tickets = options.tickets ?? 10_000;
  const server = await startTestServer(dialect);
  try {
    const { owner, workspaceId } = await setUpWorkspace(server.url);
    const session = await owner.get('/api/v1/auth/session');
    await generateDemoData(server.database.handle, { workspaceId, ownerStaffId: session.body.workspace.staffId, tickets });
    const { db } = server.database.handle;
    const ids = (await db.selectFrom('tickets').select('id').where('workspace_id', '=', workspaceId).execute()).map((row) => row.id);
    const now = Date.now();
    const iso = (offsetMinutes: number) => new Date(now + offsetMinutes * 60_000).toISOString();
    for (let start = 0; start < ids.length; start += 500) {
      const batch = ids.slice(start, start + 500);
      await db.insertInto('ticket_feelings').values(batch.map((id, index) => ({ ticket_id: id, workspace_id: workspaceId, sentiment: 0, agitation: ((start + index) * 37 % 100) / 100, sentiment_trend: 0, agitation_trend: 0, reasons: '[]', messages: 1, updated_at: iso(0) }))).onConflict((conflict) => conflict.column('ticket_id').doNothing()).execute();
      const timed = batch.filter((_, index) => (start + index) % 5 < 3);
      if (timed.length === 0) continue;
      await db.insertInto('ticket_sla').values(timed.map((id, index) => ({ workspace_id: workspaceId, ticket_id: id, metric: 'first_response' as const, policy_id: 'bench', target_minutes: 60, started_at: iso(-60), due_at: iso(-60 + ((start + index) * 53) % 1500), warning_at: iso(-90 + ((start + index) * 53) % 1500), met_at: null, breached_at: null, warned_at: null, elapsed_minutes: 0, status: 'running' as const, updated_at: iso(0) }))).onConflict((conflict) => conflict.columns(['ticket_id', 'metric']).doNothing()).execute();
    }
    const time = async (sort: string) => {
      const rounds: number[] = [];
      for (let round = 0; round < (options.rounds ?? 7); round++) {
        const started = performance.now();
        const page = await owner.get(`/api/v1/tickets?statusCategory=new,open,pending,on_hold&sort=${sort}&limit=100`);
        if (page.status !== 200) throw new Error(`sort=${sort} answered ${page.status}`);
        rounds.push(performance.now() - started);
      }
      return Math.round(median(rounds) * 10) / 10;
    };
    return { dialect, tickets, updatedAtMs: await time('-updatedAt'), urgencyMs: await time('urgency') };
  } finally {
    await server.close();
  }
}
