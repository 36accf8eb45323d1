import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, startTestServer, type TestServer } from '../../../test/harness.js';
import { addStaff, setUpWorkspace, type ApiClient } from '../../../test/client.js';

describeEachDialect('empowerment settings', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let agent: ApiClient;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    ({ owner } = await setUpWorkspace(server.url));
    ({ client: agent } = await addStaff(owner, 'agent@acme.example', 'agent'));
  });
  afterAll(() => server.close());

  it('starts from the defaults, merges partial changes, and refuses bad values', async () => {
    const defaults = await agent.get('/api/v1/empowerment/settings');
    expect(defaults.body).toMatchObject({ hourlyCost: 30, bestCustomerShare: 0.1, bestCustomerLimitFactor: 2, monthlyBudget: null, pestThreshold: 50, limits: { roles: { agent: { perRemedy: 100, perMonth: 1000 }, owner: { perRemedy: null, perMonth: null } }, agents: {} } });
    const changed = await owner.request('PUT', '/api/v1/empowerment/settings', { hourlyCost: 42, limits: { roles: { agent: { perRemedy: 75 } } } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ hourlyCost: 42, limits: { roles: { agent: { perRemedy: 75, perMonth: 1000 }, manager: { perRemedy: 1000 } } } });
    expect((await agent.get('/api/v1/empowerment/settings')).body.hourlyCost).toBe(42);
    for (const bad of [{ hourlyCost: -1 }, { bestCustomerShare: 2 }, { bestCustomerLimitFactor: 0.5 }, { limits: { roles: { intern: { perRemedy: 1 } } } }, { unknown: 1 }, { limits: { agents: { x: { perRemedy: 'lots' } } } }]) {
      const response = await owner.request('PUT', '/api/v1/empowerment/settings', bad);
      expect(response.status, JSON.stringify(bad)).toBe(400);
    }
    const events = await server.context.database.db.selectFrom('events').select('type').where('type', '=', 'empowerment.settings_changed').execute();
    expect(events).toHaveLength(1);
  });
});
