import { expect, it } from 'vitest';
import { bestTier, standardTier } from '../src/modules/customer-value/index.js';
import { CustomerTierSchema } from '../src/modules/customers/customer.schema.js';
import { ApiClient, ownerPassword } from './client.js';
import { describeEachDialect, useTestWorkspace, type TestServer } from './harness.js';

interface Listed {
  id: string;
  name: string;
  lifetimeValue: number;
  tier: string;
}

describeEachDialect('customers list: search, tier, sort, count', (dialect) => {
  let owner: ApiClient;
  let server: TestServer;
  useTestWorkspace(dialect, (setup) => ({ owner, server } = setup));

  const names = async (client: ApiClient, search: string) => ((await client.get(`/api/v1/customers?${search}`)).body.items as Listed[]).map((customer) => customer.name).sort();
  const count = async (client: ApiClient, search: string) => (await client.get(`/api/v1/customers/count?${search}`)).body.count as number;
  const create = async (client: ApiClient, body: Record<string, unknown>) => {
    const response = await client.post('/api/v1/customers', body);
    expect(response.status).toBe(201);
    return response.body as Listed;
  };

  /** Every page of a sort, following nextCursor, as one list of ids. */
  async function pageThrough(sort: string, limit: number): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const response: { status: number; body: { items: Listed[]; nextCursor: string | null } } = await owner.get(`/api/v1/customers?sort=${sort}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(response.status).toBe(200);
      ids.push(...response.body.items.map((customer) => customer.id));
      cursor = response.body.nextCursor;
      if (!cursor) return ids;
    }
    throw new Error('paging never ended');
  }

  it('names the tiers customer-value computes', () => {
    expect(CustomerTierSchema.options.slice().sort()).toEqual([bestTier, standardTier].sort());
  });

  it("matches name or email in any case, takes %, _ and \\ literally, and never shows another workspace's customers", async () => {
    await create(owner, { name: 'Ann 100% Smith', email: 'ann@alpha.example' });
    await create(owner, { name: 'Annx100 Smith' });
    await create(owner, { name: 'Bob_Jones' });
    await create(owner, { name: 'BobXJones' });
    await create(owner, { name: 'Back\\slash' });
    await create(owner, { name: 'Mona', email: 'MiXeD.Case@Example.com' });

    const workspace = await owner.post('/api/v1/workspaces', { name: 'Beta' });
    expect(workspace.status).toBe(201);
    const other = new ApiClient(server.url);
    expect((await other.post('/api/v1/auth/sign-in', { email: 'owner@acme.example', password: ownerPassword, workspaceId: workspace.body.id })).status).toBe(200);
    await create(other, { name: 'Ann 100% Smith (Beta)', email: 'ann@beta.example' });
    await create(other, { name: 'Annie Beta' });

    expect(await names(owner, 'q=ANN')).toEqual(['Ann 100% Smith', 'Annx100 Smith']);
    expect(await count(owner, 'q=ANN')).toBe(2);
    expect(await names(owner, `q=${encodeURIComponent('100%')}`)).toEqual(['Ann 100% Smith']);
    expect(await names(owner, `q=${encodeURIComponent('%')}`)).toEqual(['Ann 100% Smith']);
    expect(await count(owner, `q=${encodeURIComponent('%')}`)).toBe(1);
    expect(await names(owner, 'q=b_j')).toEqual(['Bob_Jones']);
    expect(await names(owner, 'q=_')).toEqual(['Bob_Jones']);
    expect(await names(owner, `q=${encodeURIComponent('k\\s')}`)).toEqual(['Back\\slash']);
    expect(await names(owner, 'q=mixed.case%40example')).toEqual(['Mona']);
    expect(await names(owner, 'q=alpha.example')).toEqual(['Ann 100% Smith']);
    expect(await names(owner, 'q=nobody-has-this')).toEqual([]);
    expect(await count(owner, 'q=nobody-has-this')).toBe(0);

    // The other workspace sees only its own, by the same searches.
    expect(await names(other, 'q=ann')).toEqual(['Ann 100% Smith (Beta)', 'Annie Beta']);
    expect(await names(other, 'q=alpha')).toEqual([]);
    expect(await count(other, '')).toBe(2);
    expect(await count(owner, '')).toBe(6);
  });

  it('refuses hostile or unknown parameters with 400, not an error', async () => {
    for (const search of [`q=${'x'.repeat(101)}`, 'q=%00', 'q=a%0Ab', 'tier=gold', 'sort=email', 'sort=-name']) {
      expect((await owner.get(`/api/v1/customers?${search}`)).status, search).toBe(400);
    }
    expect((await owner.get(`/api/v1/customers/count?q=${'x'.repeat(101)}`)).status).toBe(400);
    const byName = await owner.get('/api/v1/customers?sort=name&limit=1');
    expect((await owner.get(`/api/v1/customers?sort=-lifetimeValue&cursor=${byName.body.nextCursor}`)).status).toBe(400);
    expect((await owner.get('/api/v1/customers?cursor=bm90LWEtY3Vyc29y')).status).toBe(400);
  });

  it('filters by tier and pages through every sort without duplicates or gaps, ties included', async () => {
    // Repeated names and values make ties that only the id can break.
    for (let index = 0; index < 14; index++) {
      await create(owner, { name: index % 3 === 0 ? 'Same Name' : `zed ${String(index).padStart(2, '0')}`, lifetimeValue: (index % 4) * 250 });
    }
    const valued = await create(owner, { name: 'Valued One' });
    expect((await owner.request('PUT', `/api/v1/customers/${valued.id}/value`, { revenueToDate: 90_000, expectedFutureValue: 10_000 })).status).toBe(200);

    const total = await count(owner, '');
    expect(total).toBe(21);
    // 10% of 21, rounded up, is three; the three tied at 750 with the third are all best.
    const best = (await owner.get('/api/v1/customers?tier=best&sort=-lifetimeValue')).body.items as Listed[];
    expect(best.map((customer) => customer.lifetimeValue)).toEqual([100_000, 750, 750, 750]);
    expect(best.every((customer) => customer.tier === 'best')).toBe(true);
    expect(await count(owner, 'tier=best')).toBe(4);
    expect(await count(owner, 'tier=standard')).toBe(17);
    // Filters combine: of the five named "Same Name", the one at 750 is best.
    expect(await count(owner, 'tier=standard&q=same')).toBe(4);

    for (const sort of ['-createdAt', 'name', '-lifetimeValue']) {
      const whole = ((await owner.get(`/api/v1/customers?sort=${sort}&limit=200`)).body.items as Listed[]).map((customer) => customer.id);
      expect(whole).toHaveLength(total);
      for (const limit of [1, 4, 7]) {
        const paged = await pageThrough(sort, limit);
        expect(paged, `${sort} by ${limit}`).toEqual(whole);
        expect(new Set(paged).size).toBe(total);
      }
    }
    const byValue = ((await owner.get('/api/v1/customers?sort=-lifetimeValue&limit=200')).body.items as Listed[]).map((customer) => customer.lifetimeValue);
    expect(byValue).toEqual(byValue.slice().sort((a, b) => b - a));
    const byName = ((await owner.get('/api/v1/customers?sort=name&limit=200')).body.items as Listed[]).map((customer) => customer.name);
    expect(byName[0]).toBe('Ann 100% Smith');
    expect(byName.at(-1)).toBe('zed 13');
  });
});
