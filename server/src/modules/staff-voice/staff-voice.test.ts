import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDialect, useTestWorkspace, type TestServer } from '../../../test/harness.js';
import { addStaff, type ApiClient } from '../../../test/client.js';

describeEachDialect('staff voice', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;

  useTestWorkspace(dialect, (setup) => ({ server, owner } = setup));

  /** Every row of every table, as JSON text per table, to see exactly what a request added or changed. */
  async function snapshot(): Promise<Map<string, Set<string>>> {
    const { db } = server.database.handle;
    const tables =
      dialect === 'sqlite'
        ? (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(db)).rows.map((row) => row.name)
        : (await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`.execute(db)).rows.map((row) => row.name);
    const result = new Map<string, Set<string>>();
    for (const table of tables) {
      const rows = (await sql.raw<Record<string, unknown>>(`SELECT * FROM "${table}"`).execute(db)).rows;
      result.set(table, new Set(rows.map((row) => JSON.stringify(row, (_key, value) => (typeof value === 'bigint' ? Number(value) : value)))));
    }
    return result;
  }
  /** Background work started by earlier requests (invitation mail) must finish first, or its rows would look like ours. */
  async function settledSnapshot(): Promise<Map<string, Set<string>>> {
    let previous = await snapshot();
    for (let attempt = 0; attempt < 50; attempt++) {
      await server.worker.drain();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const current = await snapshot();
      if (addedRows(previous, current).length === 0) return current;
      previous = current;
    }
    throw new Error('the database never settled');
  }
  function addedRows(before: Map<string, Set<string>>, after: Map<string, Set<string>>): string[] {
    const added: string[] = [];
    for (const [table, rows] of after) for (const row of rows) if (!before.get(table)?.has(row)) added.push(`${table}: ${row}`);
    return added;
  }

  it('an anonymous note leaves nothing in any table or event that identifies its author, and the author can follow the answer', async () => {
    const { client: author, staffId } = await addStaff(owner, 'vera.voice@acme.example', 'agent', 'Vera Voice');
    const { db } = server.database.handle;
    const userId = (await db.selectFrom('staff').select('user_id').where('id', '=', staffId).executeTakeFirstOrThrow()).user_id;
    const identifiers = [staffId, userId, 'vera.voice@acme.example', 'Vera Voice'];
    const before = await settledSnapshot();

    const submitted = await author.post('/api/v1/staff-voice', { body: 'The new rota means we skip lunch. The checkout keeps timing out and customers shout at us.', anonymous: true }, { 'idempotency-key': 'anon-1' });
    expect(submitted.status).toBe(201);
    expect(submitted.body.followUpToken.length).toBeGreaterThanOrEqual(40);
    const afterSubmit = await snapshot();
    const added = addedRows(before, afterSubmit);
    expect(added.some((row) => row.startsWith('staff_voice_notes:'))).toBe(true);
    for (const row of added) for (const identifier of identifiers) expect(row, row).not.toContain(identifier);
    // No precise time either: every timestamp written is the start of a day.
    for (const row of added) for (const stamp of row.match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g) ?? []) expect(stamp, row).toMatch(/T00:00:00\.000Z$/);
    expect(added.some((row) => row.startsWith('events:'))).toBe(false);

    // The digest after the day ends announces the note and feeds it to themes, still anonymously.
    await db.updateTable('jobs').set({ run_at: new Date(Date.now() - 1000).toISOString() }).where('type', '=', 'staff_voice.digest').execute();
    await server.worker.drain();
    const afterDigest = addedRows(before, await snapshot());
    expect(afterDigest.some((row) => row.startsWith('events:') && row.includes('staff_voice.notes_received'))).toBe(true);
    expect(afterDigest.some((row) => row.startsWith('feedback_items:'))).toBe(true);
    for (const row of afterDigest) for (const identifier of identifiers) expect(row, row).not.toContain(identifier);
    const feedback = await owner.get('/api/v1/feedback?source=staff_voice');
    expect(feedback.body.items).toHaveLength(1);
    expect(feedback.body.items[0].themes.length).toBeGreaterThan(0);

    const listed = await owner.get('/api/v1/staff-voice');
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({ isAnonymous: true, author: null, status: 'new' });
    expect(listed.body.items[0].createdOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await author.get('/api/v1/staff-voice')).status).toBe(403);

    const answered = await owner.patch(`/api/v1/staff-voice/${listed.body.items[0].id}`, { response: 'Thank you. From Monday lunch is covered by a floater.', status: 'in_progress' });
    expect(answered.status).toBe(200);
    const followed = await fetch(`${server.url}/api/v1/staff-voice/follow-up`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: submitted.body.followUpToken }) });
    expect(followed.status).toBe(200);
    expect(await followed.json()).toMatchObject({ status: 'in_progress', response: 'Thank you. From Monday lunch is covered by a floater.' });
    const guessed = await fetch(`${server.url}/api/v1/staff-voice/follow-up`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'x'.repeat(43) }) });
    expect(guessed.status).toBe(404);
  });

  it('a named note shows its author to managers and counts as that person for themes', async () => {
    const { client: author, staffId } = await addStaff(owner, 'ned.named@acme.example', 'agent', 'Ned Named');
    const submitted = await author.post('/api/v1/staff-voice', { body: 'Please fix the printer.' });
    expect(submitted.status).toBe(201);
    const listed = await owner.get('/api/v1/staff-voice');
    expect(listed.body.items.find((item: { id: string }) => item.id === submitted.body.id)).toMatchObject({ isAnonymous: false, author: { staffId, name: 'Ned Named' } });
    const event = await server.database.handle.db.selectFrom('events').select(['actor_type', 'actor_id']).where('type', '=', 'staff_voice.submitted').executeTakeFirstOrThrow();
    expect(event).toEqual({ actor_type: 'staff', actor_id: staffId });
  });
});
