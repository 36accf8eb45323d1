import { expect, it } from 'vitest';
import { describeEachDialect, useTestWorkspace, type TestServer } from '../../../test/harness.js';
import { inUnitOfWork } from '../../events/events.js';
import { newId, nowIso } from '../../lib/ids.js';
import { readListeningSettings } from '../listening/index.js';
import { labelledFeedback } from './theme.labelled-set.js';
import { recordThemeMentions, recordThemeMentionsOfItems } from './theme.service.js';

/**
 * Grouping quality on the labelled set, through the real incremental code and database. Purity:
 * of the items in each found theme, the share carrying that theme's majority label. Recall: for
 * each labelled theme, the share of its items in the one found theme holding most of them.
 * Thresholds (measured 0.997 and 0.878 when written; 1.000 and 0.872 since ties between equally
 * good themes go by their tokens rather than by id): purity ≥ 0.95, because a merge of two
 * topics sends managers after a false pattern; recall ≥ 0.85, lower, because the grouping is
 * lexical (no embeddings) and the set includes paraphrases that share no content word ("slow
 * refund" / "still waiting for my refund"), which split a theme in two rather than merge topics.
 */
describeEachDialect('theme grouping quality', (dialect) => {
  let server: TestServer;
  let workspaceId: string;

  useTestWorkspace(dialect, (setup) => ({ server, workspaceId } = setup));

  it('groups 312 labelled items in 26 themes with high purity and recall', async () => {
    const { db } = server.database.handle;
    const settings = await readListeningSettings(db, workspaceId);
    const items = Object.entries(labelledFeedback).flatMap(([label, texts]) => texts.map((text) => ({ label, text })));
    // Interleaved, as feedback really arrives: theme after theme would flatter incremental grouping.
    items.sort((left, right) => (items.indexOf(left) % 12) - (items.indexOf(right) % 12) || items.indexOf(left) - items.indexOf(right));
    const predicted: Array<{ label: string; theme: string }> = [];
    for (const [index, item] of items.entries()) {
      // The feedback row is written here directly: themes must not depend on the feedback module that uses it.
      const themeIds = await inUnitOfWork(db, server.context.bus, async (uow) => {
        const id = newId();
        const createdAt = nowIso();
        await uow.trx.insertInto('feedback_items').values({ id, workspace_id: workspaceId, source: 'review', source_id: `labelled-${index}`, source_key: `customer:${index}`, customer_id: null, ticket_id: null, text: item.text, sentiment: 0, sentiment_label: 'neutral', created_at: createdAt }).execute();
        return recordThemeMentions(uow, server.context.bus, settings.themes, { workspaceId, feedbackItemId: id, sourceKey: `customer:${index}`, text: item.text, createdAt });
      });
      predicted.push({ label: item.label, theme: themeIds[0] ?? `none-${index}` });
    }
    const byTheme = new Map<string, string[]>();
    for (const { label, theme } of predicted) byTheme.set(theme, [...(byTheme.get(theme) ?? []), label]);
    const majority = (labels: string[]) => Math.max(...[...new Set(labels)].map((label) => labels.filter((other) => other === label).length));
    const purity = [...byTheme.values()].reduce((sum, labels) => sum + majority(labels), 0) / predicted.length;
    const labels = Object.keys(labelledFeedback);
    const recallByLabel = labels.map((label) => {
      const themes = predicted.filter((entry) => entry.label === label).map((entry) => entry.theme);
      return majority(themes) / themes.length;
    });
    const recall = recallByLabel.reduce((sum, value) => sum + value, 0) / labels.length;
    console.log(`[${dialect}] theme grouping: ${predicted.length} items, ${labels.length} labels, ${byTheme.size} themes found, purity ${purity.toFixed(3)}, recall ${recall.toFixed(3)}; weakest: ${labels.map((label, index) => `${label} ${recallByLabel[index]!.toFixed(2)}`).sort((a, b) => Number(a.split(' ')[1]) - Number(b.split(' ')[1])).slice(0, 4).join(', ')}`);
    expect(predicted.length).toBeGreaterThanOrEqual(300);
    expect(purity).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.85);
  });

  /** A fresh workspace, so the items meet no theme of another test. */
  const newWorkspace = async () => {
    const id = newId();
    await server.database.handle.db.insertInto('workspaces').values({ id, name: 'Batch', slug: `batch-${id.slice(-8)}`, time_zone: 'UTC', ticket_counter: 0, settings: '{}', created_at: nowIso() }).execute();
    return id;
  };
  /** Records texts as feedback rows and their themes, `perTransaction` items per call; returns each item's themes. */
  const record = async (workspace: string, entries: Array<{ text: string; sourceKey: string }>, perTransaction: number) => {
    const { db } = server.database.handle;
    const settings = await readListeningSettings(db, workspace);
    const themes: string[][] = [];
    for (let start = 0; start < entries.length; start += perTransaction) {
      const batch = entries.slice(start, start + perTransaction);
      themes.push(
        ...(await inUnitOfWork(db, server.context.bus, async (uow) => {
          const items = [];
          for (const entry of batch) {
            const id = newId();
            const createdAt = nowIso();
            await uow.trx.insertInto('feedback_items').values({ id, workspace_id: workspace, source: 'review', source_id: `batch-${id}`, source_key: entry.sourceKey, customer_id: null, ticket_id: null, text: entry.text, sentiment: 0, sentiment_label: 'neutral', created_at: createdAt }).execute();
            items.push({ workspaceId: workspace, feedbackItemId: id, sourceKey: entry.sourceKey, text: entry.text, createdAt });
          }
          return recordThemeMentionsOfItems(uow, server.context.bus, settings.themes, items);
        })),
      );
    }
    return themes;
  };

  it('groups items recorded 8 per transaction exactly as one after another, counts included', async () => {
    const entries = Object.values(labelledFeedback).flat().map((text, index) => ({ text, sourceKey: `customer:${index % 40}` }));
    // Each item's themes named by the first item that mentioned them: comparable across workspaces.
    const partition = (themes: string[][]) => themes.map((ids) => ids.map((id) => themes.findIndex((other) => other.includes(id))));
    const [alone, batched] = [await newWorkspace(), await newWorkspace()];
    const one = await record(alone, entries, 1);
    const eight = await record(batched, entries, 8);
    expect(partition(eight)).toEqual(partition(one));
    const { db } = server.database.handle;
    const summary = async (workspace: string) => {
      const rows = await db.selectFrom('themes').select(['mention_count', 'status']).where('workspace_id', '=', workspace).execute();
      const alerts = await db.selectFrom('events').select('payload').where('workspace_id', '=', workspace).where('type', '=', 'theme.alerted').execute();
      return { counts: rows.map((row) => `${row.mention_count}:${row.status}`).sort(), alerts: alerts.length };
    };
    const expected = await summary(alone);
    expect(expected.alerts).toBeGreaterThan(0);
    expect(await summary(batched)).toEqual(expected);
  });

  it('in one transaction, one customer three times alerts nothing; three customers alert once', async () => {
    const workspace = await newWorkspace();
    const alerts = () => server.database.handle.db.selectFrom('events').select('payload').where('workspace_id', '=', workspace).where('type', '=', 'theme.alerted').execute();
    const same = 'The gift card balance vanished.';
    await record(workspace, [{ text: same, sourceKey: 'customer:a' }, { text: same, sourceKey: 'customer:a' }, { text: same, sourceKey: 'customer:a' }], 3);
    expect(await alerts()).toHaveLength(0);
    await record(workspace, [{ text: same, sourceKey: 'customer:b' }], 1);
    expect(await alerts()).toHaveLength(0);
    await record(workspace, [{ text: same, sourceKey: 'customer:a' }, { text: same, sourceKey: 'customer:c' }, { text: same, sourceKey: 'customer:d' }], 3);
    const fired = await alerts();
    expect(fired).toHaveLength(1);
    expect(JSON.parse(fired[0]!.payload)).toMatchObject({ distinctSources: 4 });
    // A new theme heard from three customers within one transaction alerts at once.
    const fresh = 'Loyalty points disappeared from my account.';
    await record(workspace, ['e', 'f', 'g'].map((customer) => ({ text: fresh, sourceKey: `customer:${customer}` })), 3);
    expect(await alerts()).toHaveLength(2);
  });
});
