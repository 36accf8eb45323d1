import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, startTestServer, type TestServer } from '../../../test/harness.js';
import { addStaff, setUpWorkspace, type ApiClient } from '../../../test/client.js';
import { acknowledgesFeelingsFirst, applySuggestions, defaultBlamePhrases, findBlamePhrases } from './blame.detect.js';
import { heldOutAgentReplies, labelledAgentReplies, secondHeldOutAgentReplies, type LabelledReply } from './blame.labelled-set.js';

describe('blame guard detection', () => {
  function evaluate(replies: LabelledReply[]) {
    let truePositives = 0;
    let falsePositives = 0;
    let falseNegatives = 0;
    for (const { text, isBlame } of replies) {
      const flagged = findBlamePhrases(text, defaultBlamePhrases).length > 0;
      if (flagged && isBlame) truePositives++;
      else if (flagged) falsePositives++;
      else if (isBlame) falseNegatives++;
    }
    return { precision: truePositives / (truePositives + falsePositives), recall: truePositives / (truePositives + falseNegatives) };
  }

  it('holds precision and recall on the labelled agent replies, and on replies it was never tuned to', () => {
    const all = [...labelledAgentReplies, ...heldOutAgentReplies, ...secondHeldOutAgentReplies];
    const overall = evaluate(all);
    const heldOut = evaluate(heldOutAgentReplies);
    const secondHeldOut = evaluate(secondHeldOutAgentReplies);
    const figures = (name: string, set: LabelledReply[], result: { precision: number; recall: number }) =>
      `${name} ${set.length}: precision ${result.precision.toFixed(2)}, recall ${result.recall.toFixed(2)}`;
    console.log(`blame guard on ${figures('all', all, overall)}; ${figures('first held out', heldOutAgentReplies, heldOut)}; ${figures('second held out', secondHeldOutAgentReplies, secondHeldOut)}`);
    expect(all.length).toBeGreaterThanOrEqual(200);
    // A false flag only costs the agent a glance (sending stays allowed), a miss lets blame reach a
    // customer: recall matters more, but a guard that cries wolf gets ignored, so both stay high.
    // The bars sit a few sentences under what the phrases reach (0.99 / 0.91).
    expect(overall.precision).toBeGreaterThanOrEqual(0.95);
    expect(overall.recall).toBeGreaterThanOrEqual(0.88);
    // On unseen phrasing a phrase list still must not flag kind replies. The first held-out set was
    // not read while the patterns were generalised (only two of its misses were known, "not really
    // our problem" and "like I already said"): recall rose from 0.33 to 0.53 (5 then 8 of 15) at
    // precision 1.00; the recall bar is one reply under (7 of 15).
    expect(heldOut.precision).toBeGreaterThanOrEqual(0.9);
    expect(heldOut.recall).toBeGreaterThanOrEqual(0.45);
    // The second held-out set was written before the patterns learned filler words, synonyms of
    // "said" and contractions of "not", and measured once: the old patterns reached precision 0.89
    // and recall 0.33 (8 of 24), the new ones 0.90 and 0.75 (18 of 24; 2 false flags of 16 look-alikes).
    // Each bar sits one reply under that (17 of 24 caught, a third false flag), so losing a catch
    // or adding a false flag beyond one fails; the misses left are wordings no phrase names
    // ("this is entirely on you"), which is why workspaces add their own phrases.
    expect(secondHeldOut.precision).toBeGreaterThanOrEqual(0.85);
    expect(secondHeldOut.recall).toBeGreaterThanOrEqual(0.7);
  });

  it('gives positions, ignores words inside other words, and replaces with the suggestion', () => {
    const text = "Sorry, but that's not our problem. You should have read the manual.";
    const flags = findBlamePhrases(text, defaultBlamePhrases);
    expect(flags.map((flag) => [flag.phrase, text.slice(flag.start, flag.end)])).toEqual([
      ['not our problem', 'not our problem'],
      ['you should have', 'You should have'],
    ]);
    expect(applySuggestions(text, flags)).toBe("Sorry, but that's something we'll sort out for you. Next time it may help to read the manual.");
    expect(findBlamePhrases('Obviously', [{ phrase: 'obvious', category: 'custom', suggestion: '' }])).toEqual([]);
    // Built-in patterns let filler words in, also inside a look-behind; a workspace phrase is matched as written.
    expect(findBlamePhrases("Like I just said, it isn't really our problem.", defaultBlamePhrases).map((flag) => flag.matched)).toEqual(['Like I just said', "isn't really our problem"]);
    expect(findBlamePhrases("It's not really your fault.", defaultBlamePhrases)).toEqual([]);
    expect(findBlamePhrases('Please read really the FAQ.', [{ phrase: 'read the FAQ', category: 'custom', suggestion: '' }])).toEqual([]);
  });

  it('recognises feelings acknowledged before solving', () => {
    expect(acknowledgesFeelingsFirst("I'm so sorry about the delay. I've issued a full refund.").acknowledges).toBe(true);
    expect(acknowledgesFeelingsFirst("I understand how frustrating this must be. I'll send a replacement today.").acknowledges).toBe(true);
    expect(acknowledgesFeelingsFirst("I've issued a refund. Sorry for the trouble.").acknowledges).toBe(false);
    expect(acknowledgesFeelingsFirst('Please restart the router.').acknowledges).toBe(false);
  });
});

describeEachDialect('blame guard', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let agent: ApiClient;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    ({ owner } = await setUpWorkspace(server.url));
    ({ client: agent } = await addStaff(owner, 'agent@acme.example', 'agent'));
  });
  afterAll(() => server.close());

  it('checks a draft, with workspace phrases added by a manager only', async () => {
    const check = await agent.post('/api/v1/blame-guard/check', { text: "As I already said, that's not our problem." });
    expect(check.status).toBe(200);
    expect(check.body.flags.map((flag: { phrase: string; start: number }) => [flag.phrase, flag.start])).toEqual([['as I already said', 0], ['not our problem', 26]]);
    expect(check.body.suggestedText).toBe("To recap, that's something we'll sort out for you.");

    expect((await agent.post('/api/v1/blame-guard/phrases', { phrase: 'read the FAQ' })).status).toBe(403);
    const added = await owner.post('/api/v1/blame-guard/phrases', { phrase: 'Read the FAQ', category: 'condescension', suggestion: 'Here is the answer' });
    expect(added.status).toBe(201);
    expect((await owner.post('/api/v1/blame-guard/phrases', { phrase: 'read the faq' })).status).toBe(409);
    expect((await owner.post('/api/v1/blame-guard/phrases', { phrase: 'x\ny' })).status).toBe(400);
    expect((await agent.post('/api/v1/blame-guard/check', { text: 'Please read  the FAQ.' })).body.flags[0]).toMatchObject({ phrase: 'read the faq', start: 7, end: 20 });
    expect((await agent.post('/api/v1/blame-guard/check', { text: 42 })).status).toBe(400);
    expect((await owner.request('DELETE', `/api/v1/blame-guard/phrases/${added.body.id}`)).status).toBe(200);
    expect((await agent.post('/api/v1/blame-guard/check', { text: 'Please read the FAQ.' })).body.flags).toEqual([]);
  });

  it('lets a flagged reply be sent and records the override once', async () => {
    const ticket = await agent.post('/api/v1/tickets', { subject: 'Broken', customer: { email: 'c@example.com' }, message: { text: 'It broke.' } });
    const sent = await agent.post(`/api/v1/tickets/${ticket.body.id}/messages`, { kind: 'reply', text: 'You should have charged it first. Calm down.' });
    expect(sent.status).toBe(201);
    await agent.post(`/api/v1/tickets/${ticket.body.id}/messages`, { kind: 'reply', text: "I'm sorry, I'll send a new one today." });
    await agent.post(`/api/v1/tickets/${ticket.body.id}/messages`, { kind: 'note', text: 'Customer says not our problem, ha.' });
    const events = (await agent.get(`/api/v1/tickets/${ticket.body.id}/events`)).body.items.filter((event: { type: string }) => event.type === 'blame_guard.overridden');
    expect(events).toHaveLength(1);
    expect(events[0].payload.flags.map((flag: { phrase: string }) => flag.phrase)).toEqual(['you should have', 'calm down']);
    expect(events[0].actor.type).toBe('staff');
  });
});
