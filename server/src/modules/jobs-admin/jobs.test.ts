import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { describeEachDialect, startTestServer, type TestServer } from '../../../test/harness.js';
import { addStaff, setUpWorkspace, type ApiClient } from '../../../test/client.js';
import { enqueueJob, type JobDefinition } from '../../jobs/queue.js';

describeEachDialect('jobs API', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let workspaceId: string;
  let otherWorkspaceId: string;
  let failing = true;
  let flaky: JobDefinition<z.ZodObject<{ label: z.ZodString }>>;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    ({ owner, workspaceId } = await setUpWorkspace(server.url));
    otherWorkspaceId = (await owner.post('/api/v1/workspaces', { name: 'Other brand', timeZone: 'UTC' })).body.id;
    // A job type of the test's own, failing until told otherwise.
    flaky = server.context.jobs.define({
      type: 'test.flaky',
      version: 1,
      payload: z.object({ label: z.string() }),
      maxAttempts: 1,
      handle: async (_job, payload) => {
        if (failing) throw new Error(`the ${payload.label} partner API said no`);
      },
    });
  });
  afterAll(() => server.close());

  const enqueue = (label: string, forWorkspace: string | null) => enqueueJob(server.database.handle.db, flaky, { label }, { workspaceId: forWorkspace });

  it('shows a failed job with its last error; a retry queues it again and it completes', async () => {
    const id = await enqueue('shipping', workspaceId);
    await server.worker.drain();
    const failed = await owner.get('/api/v1/jobs?status=failed');
    expect(failed.status).toBe(200);
    const job = failed.body.items.find((item: { id: string }) => item.id === id);
    expect(job).toMatchObject({ type: 'test.flaky', status: 'failed', attempts: 1, maxAttempts: 1, lastError: 'the shipping partner API said no' });
    expect(job).not.toHaveProperty('workspaceId');

    failing = false;
    const retried = await owner.post(`/api/v1/jobs/${id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id, status: 'queued', attempts: 0 });
    expect((await owner.get('/api/v1/jobs?status=failed')).body.items.map((item: { id: string }) => item.id)).not.toContain(id);
    await server.worker.drain();
    const done = await owner.get('/api/v1/jobs?status=done');
    expect(done.body.items.find((item: { id: string }) => item.id === id)).toMatchObject({ status: 'done', attempts: 1, lastError: null });

    const again = await owner.post(`/api/v1/jobs/${id}/retry`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('invalid_state');
    expect((await owner.post('/api/v1/jobs/no-such-job/retry')).status).toBe(404);
    expect((await owner.get('/api/v1/jobs?status=lost')).status).toBe(400);
    failing = true;
  });

  it("never shows or retries another workspace's jobs, nor instance-level ones", async () => {
    expect(otherWorkspaceId).toMatch(/.+/);
    const mine = await enqueue('mine', workspaceId);
    const theirs = await enqueue('theirs', otherWorkspaceId);
    const instance = await enqueue('instance', null);
    await server.worker.drain();
    const all = (await owner.get('/api/v1/jobs?limit=200')).body.items.map((item: { id: string }) => item.id);
    expect(all).toContain(mine);
    expect(all).not.toContain(theirs);
    expect(all).not.toContain(instance);
    expect((await owner.post(`/api/v1/jobs/${theirs}/retry`)).status).toBe(404);
    expect((await owner.post(`/api/v1/jobs/${instance}/retry`)).status).toBe(404);
    const row = await server.database.handle.db.selectFrom('jobs').select('status').where('id', '=', theirs).executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
  });

  it('pages newest first without repeating, and is for managers only', async () => {
    for (let index = 0; index < 5; index++) await enqueue(`page ${index}`, workspaceId);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null } } = await owner.get(`/api/v1/jobs?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((item) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe((await owner.get('/api/v1/jobs?limit=200')).body.items.length);

    const { client: agent } = await addStaff(owner, 'agent@acme.example', 'agent');
    expect((await agent.get('/api/v1/jobs')).status).toBe(403);
    const { client: manager } = await addStaff(owner, 'manager@acme.example', 'manager');
    expect((await manager.get('/api/v1/jobs?status=failed')).status).toBe(200);
  });
});
