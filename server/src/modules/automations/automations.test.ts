import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { describeEachDialect, startTestServer, type TestServer } from '../../../test/harness.js';
import { addStaff, setUpWorkspace, type ApiClient } from '../../../test/client.js';
import { startRecordingSmtpSink, type RecordingSmtpSink } from '../../../test/smtp-sink.js';

describeEachDialect('automations', (dialect) => {
  let server: TestServer;
  let owner: ApiClient;
  let agent: ApiClient;
  let agentId: string;
  let relay: RecordingSmtpSink;

  beforeAll(async () => {
    relay = await startRecordingSmtpSink();
    server = await startTestServer(dialect, { RAVING_MAIL_RELAY_URL: relay.url });
    ({ owner } = await setUpWorkspace(server.url));
    ({ client: agent, staffId: agentId } = await addStaff(owner, 'agent@acme.example', 'agent'));
    expect((await owner.post('/api/v1/email/mailboxes', { address: 'support@acme.example', name: 'Acme Support' })).status).toBe(201);
  });
  afterAll(async () => {
    await server.close();
    await relay.close();
  });

  async function events(ticketId: string) {
    return (await owner.get(`/api/v1/tickets/${ticketId}/events`)).body.items as Array<{ type: string; actor: { type: string }; payload: Record<string, any> }>;
  }

  it('runs ordered actions after the change commits, each action an event naming its rule', async () => {
    const rule = await owner.post('/api/v1/automations', {
      name: 'Refunds to Ada',
      trigger: 'ticket.created',
      conditions: { subjectContains: 'refund' },
      actions: [
        { type: 'assign', staffId: agentId },
        { type: 'set_priority', priority: 'high' },
        { type: 'add_tag', tag: 'Refund' },
        { type: 'add_note', text: 'Check the order before refunding.' },
        { type: 'notify_staff', staffIds: [agentId], message: 'A refund came in' },
      ],
    });
    expect(rule.status).toBe(201);
    const ticket = await owner.post('/api/v1/tickets', { subject: 'Refund for order 12', customer: { email: 'r@example.com' }, message: { text: 'please' } });
    const other = await owner.post('/api/v1/tickets', { subject: 'Hello', customer: { email: 'h@example.com' } });
    // Nothing happens inside the request: the rule runs from a job once the ticket committed.
    expect(ticket.body.assigneeId).toBeNull();
    await server.worker.drain();
    const after = await owner.get(`/api/v1/tickets/${ticket.body.id}`);
    expect(after.body).toMatchObject({ assigneeId: agentId, priority: 'high', tags: ['refund'] });
    const timeline = await events(ticket.body.id);
    const applied = timeline.filter((event) => event.type === 'automation.action_applied');
    expect(applied.map((event) => event.payload.action.type)).toEqual(['assign', 'set_priority', 'add_tag', 'add_note', 'notify_staff']);
    expect(applied.every((event) => event.payload.ruleId === rule.body.id && event.actor.type === 'system')).toBe(true);
    expect(timeline.find((event) => event.type === 'ticket.assigned')?.payload).toEqual({ from: null, to: agentId, reason: 'automation rule "Refunds to Ada"' });
    expect(timeline.find((event) => event.type === 'staff.notified')?.payload).toMatchObject({ ruleId: rule.body.id, staffIds: [agentId] });
    // The notified agent is also mailed, over SMTP, with a link to the ticket.
    const notices = relay.received.filter((mail) => mail.to.includes('agent@acme.example') && !mail.subject.startsWith('You are invited'));
    expect(notices.map((mail) => mail.subject)).toEqual([`[#${ticket.body.number}] A refund came in`]);
    expect(notices[0]!.text).toContain(`Ticket #${ticket.body.number}: Refund for order 12`);
    expect(notices[0]!.text).toContain(`/tickets/${ticket.body.id}`);
    expect(notices[0]!.headers.get('auto-submitted')).toBe('auto-generated');
    const notes = await owner.get(`/api/v1/tickets/${ticket.body.id}/messages`);
    expect(notes.body.items.some((message: { kind: string; text: string }) => message.kind === 'note' && message.text.includes('Check the order'))).toBe(true);
    expect((await owner.get(`/api/v1/tickets/${other.body.id}`)).body.assigneeId).toBeNull();

    const tested = await owner.post(`/api/v1/automations/${rule.body.id}/test`);
    expect(tested.body.matches.map((match: { ticketId: string }) => match.ticketId)).toEqual([ticket.body.id]);
    await owner.patch(`/api/v1/automations/${rule.body.id}`, { isActive: false });
  });

  it('applies a macro, mails the customer and attaches a playbook; automatic mail is not a first response', async () => {
    const sla = await owner.post('/api/v1/sla-policies', { name: 'Mail SLA', position: 0, conditions: { channels: ['email'] }, targets: { firstResponse: 60 } });
    const macro = await owner.post('/api/v1/macros', { name: 'Acknowledge', body: 'Hi {{customer.first_name}}, ticket {{ticket.number}} is with {{agent.name}}.', kind: 'reply', setStatus: 'open' });
    const playbook = await owner.post('/api/v1/playbooks', { name: 'Damaged parcel', steps: [{ id: 'photo', title: 'Ask for a photo', required: true }] });
    const rule = await owner.post('/api/v1/automations', {
      name: 'Damaged parcels',
      trigger: 'ticket.created',
      conditions: { channels: ['email'], subjectContains: 'damaged' },
      actions: [
        { type: 'apply_macro', macroId: macro.body.id },
        { type: 'send_email', text: 'Please send us a photo of the parcel, {{customer.first_name}}.' },
        { type: 'attach_playbook', playbookId: playbook.body.id },
      ],
    });
    expect(rule.status).toBe(201);
    const ticket = await owner.post('/api/v1/tickets', { subject: 'Parcel arrived damaged', channel: 'email', customer: { email: 'mia@example.com', name: 'Mia Rossi' }, message: { text: 'The box was crushed.' } });
    await server.worker.drain();

    const messages = (await owner.get(`/api/v1/tickets/${ticket.body.id}/messages`)).body.items as Array<{ kind: string; text: string }>;
    expect(messages.filter((message) => message.kind === 'outbound').map((message) => message.text)).toEqual([`Hi Mia, ticket ${ticket.body.number} is with Acme.`, 'Please send us a photo of the parcel, Mia.']);
    expect((await owner.get(`/api/v1/tickets/${ticket.body.id}`)).body.status).toBe('open');
    const checklists = (await owner.get(`/api/v1/tickets/${ticket.body.id}/playbooks`)).body.items;
    expect(checklists).toEqual([expect.objectContaining({ playbookId: playbook.body.id, name: 'Damaged parcel' })]);
    const applied = (await events(ticket.body.id)).filter((event) => event.type === 'automation.action_applied');
    expect(applied.map((event) => event.payload.action.type)).toEqual(['apply_macro', 'send_email', 'attach_playbook']);

    // Both went out through the email module, over SMTP, as automatic mail to the customer.
    const mails = relay.received.filter((mail) => mail.to.includes('mia@example.com'));
    // Delivered side by side, so in either order.
    expect(mails.map((mail) => mail.text.trim()).sort()).toEqual([`Hi Mia, ticket ${ticket.body.number} is with Acme.`, 'Please send us a photo of the parcel, Mia.'].sort());
    expect(mails.every((mail) => mail.headers.get('auto-submitted') === 'auto-generated' && mail.subject.includes(`[#${ticket.body.number}]`))).toBe(true);
    // The customer still waits for a person: the first-response clock runs on.
    const clock = (await owner.get(`/api/v1/tickets/${ticket.body.id}/sla`)).body.targets[0];
    expect(clock).toMatchObject({ metric: 'first_response', status: 'running', metAt: null });

    // A rule naming something the workspace lacks is refused; one whose macro went away records the skip and runs on.
    expect((await owner.post('/api/v1/automations', { name: 'x', trigger: 'ticket.created', actions: [{ type: 'apply_macro', macroId: 'nope' }] })).body.errors).toEqual([expect.objectContaining({ path: 'body.actions.0.macroId' })]);
    await owner.delete(`/api/v1/macros/${macro.body.id}`);
    const again = await owner.post('/api/v1/tickets', { subject: 'Damaged again', channel: 'email', customer: { email: 'mia@example.com', name: 'Mia Rossi' } });
    await server.worker.drain();
    const timeline = await events(again.body.id);
    expect(timeline.find((event) => event.type === 'automation.action_skipped')?.payload).toMatchObject({ ruleId: rule.body.id, action: { type: 'apply_macro' } });
    expect(timeline.filter((event) => event.type === 'automation.action_applied').map((event) => event.payload.action.type)).toEqual(['send_email', 'attach_playbook']);
    await owner.delete(`/api/v1/automations/${rule.body.id}`);
    await owner.delete(`/api/v1/sla-policies/${sla.body.id}`);
  });

  it('send_email mails the customer of a ticket on any channel, as automatic mail, and records a customer without an address as a skip', async () => {
    const rule = await owner.post('/api/v1/automations', { name: 'Chat follow-up by mail', trigger: 'ticket.created', conditions: { channels: ['chat', 'phone'] }, actions: [{ type: 'send_email', text: 'Hi {{customer.first_name}}, here is a written copy of our chat.' }] });
    expect(rule.status).toBe(201);
    const chat = await owner.post('/api/v1/tickets', { subject: 'Chat about sizes', channel: 'chat', customer: { email: 'chen@example.com', name: 'Chen Li' }, message: { text: 'Which size?' } });
    const noAddress = await owner.post('/api/v1/customers', { name: 'Walk-in Caller', phone: '+33 1 23 45 67 89' });
    expect(noAddress.status).toBe(201);
    const phone = await owner.post('/api/v1/tickets', { subject: 'Called in', channel: 'phone', customer: { id: noAddress.body.id } });
    await server.worker.drain();
    const mails = relay.received.filter((mail) => mail.to.includes('chen@example.com'));
    expect(mails.map((mail) => [mail.subject, mail.text.trim(), mail.headers.get('auto-submitted')])).toEqual([[`Re: Chat about sizes [#${chat.body.number}]`, 'Hi Chen, here is a written copy of our chat.', 'auto-generated']]);
    const messages = (await owner.get(`/api/v1/tickets/${chat.body.id}/messages`)).body.items as Array<{ kind: string; author: { type: string } | null }>;
    expect(messages.filter((message) => message.kind === 'outbound')).toHaveLength(1);
    // Not lost silently: the rule's step is on the ticket's timeline with the reason.
    const skipped = (await events(phone.body.id)).filter((event) => event.type === 'automation.action_skipped');
    expect(skipped.map((event) => event.payload.reason)).toEqual(['The customer has no email address: the mail cannot go out.']);
    expect((await owner.get(`/api/v1/tickets/${phone.body.id}/messages`)).body.items).toHaveLength(0);
    await owner.delete(`/api/v1/automations/${rule.body.id}`);
  });

  it('stops a loop between two rules and reports it', async () => {
    const a = await owner.post('/api/v1/automations', { name: 'A: high → low', trigger: 'ticket.priority_changed', conditions: { priorities: ['high'] }, actions: [{ type: 'set_priority', priority: 'low' }] });
    const b = await owner.post('/api/v1/automations', { name: 'B: low → high', trigger: 'ticket.priority_changed', conditions: { priorities: ['low'] }, actions: [{ type: 'set_priority', priority: 'high' }] });
    const ticket = await owner.post('/api/v1/tickets', { subject: 'Ping pong', customer: { email: 'p@example.com' } });
    await owner.patch(`/api/v1/tickets/${ticket.body.id}`, { priority: 'high' });
    let ran = 0;
    for (let round = 0; round < 10; round++) ran += await server.worker.drain();
    expect(ran).toBeLessThan(20);
    const timeline = await events(ticket.body.id);
    expect(timeline.filter((event) => event.type === 'ticket.priority_changed')).toHaveLength(5); // ours; A then B in order on it; then A and B once more on each other's changes
    const stopped = timeline.filter((event) => event.type === 'automation.loop_stopped');
    expect(stopped).toHaveLength(1);
    expect(stopped[0]!.payload).toMatchObject({ depth: 3 });
    await owner.delete(`/api/v1/automations/${a.body.id}`);
    await owner.delete(`/api/v1/automations/${b.body.id}`);
  });

  it('runs time-based rules from durable timers: pending for 3 days reminds the customer, 3 more days solves', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2026-11-23T10:00:00Z'));
      const remind = await owner.post('/api/v1/automations', {
        name: 'Pending 3 days: remind',
        trigger: 'time',
        conditions: { statusCategories: ['pending'], tagsNone: ['reminded'], hoursSinceUpdate: 72 },
        actions: [{ type: 'send_email', text: 'Hi {{customer.first_name}}, do you still need help with this?' }, { type: 'add_tag', tag: 'reminded' }],
      });
      const solve = await owner.post('/api/v1/automations', { name: 'Reminded 3 days ago: solve', trigger: 'time', conditions: { statusCategories: ['pending'], tagsAny: ['reminded'], hoursSinceUpdate: 72 }, actions: [{ type: 'add_note', text: 'No answer after a reminder: solving.' }, { type: 'set_status', status: 'solved' }] });
      expect([remind.status, solve.status]).toEqual([201, 201]);
      const ticket = await owner.post('/api/v1/tickets', { subject: 'Waiting', channel: 'email', customer: { email: 'wes@example.com', name: 'Wes Park' } });
      const lively = await owner.post('/api/v1/tickets', { subject: 'Talking', channel: 'email', customer: { email: 'lu@example.com' } });
      await owner.patch(`/api/v1/tickets/${ticket.body.id}`, { status: 'pending' });
      await owner.patch(`/api/v1/tickets/${lively.body.id}`, { status: 'pending' });
      await server.worker.drain();
      vi.setSystemTime(new Date('2026-11-25T10:00:00Z'));
      await owner.post(`/api/v1/tickets/${lively.body.id}/messages`, { kind: 'note', text: 'Still on it' });
      await owner.patch(`/api/v1/tickets/${lively.body.id}`, { priority: 'high' });
      await server.worker.drain();
      expect((await owner.get(`/api/v1/tickets/${ticket.body.id}`)).body.status).toBe('pending');

      vi.setSystemTime(new Date('2026-11-26T10:00:02Z'));
      // "Which tickets would this rule match?": the silent one, not the one changed two days ago.
      const tested = await owner.post(`/api/v1/automations/${remind.body.id}/test`);
      expect(tested.body.matches.map((match: { ticketId: string }) => match.ticketId)).toEqual([ticket.body.id]);
      await server.worker.drain();
      expect((await owner.get(`/api/v1/tickets/${ticket.body.id}`)).body).toMatchObject({ status: 'pending', tags: ['reminded'] });
      expect(relay.received.filter((mail) => mail.to.includes('wes@example.com')).map((mail) => mail.text.trim())).toEqual(['Hi Wes, do you still need help with this?']);

      vi.setSystemTime(new Date('2026-11-29T10:00:04Z'));
      await server.worker.drain();
      expect((await owner.get(`/api/v1/tickets/${ticket.body.id}`)).body.status).toBe('solved');
      expect((await owner.get(`/api/v1/tickets/${lively.body.id}`)).body.status).toBe('pending');
      // One reminder, however many timers came due (solving also sends the satisfaction survey).
      expect(relay.received.filter((mail) => mail.to.includes('wes@example.com')).map((mail) => mail.subject).sort()).toEqual(['Acme: how did we do?', `Re: Waiting [#${ticket.body.number}]`]);
      await owner.delete(`/api/v1/automations/${remind.body.id}`);
      await owner.delete(`/api/v1/automations/${solve.body.id}`);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses bad rules and agents', async () => {
    expect((await owner.post('/api/v1/automations', { name: 'x', trigger: 'ticket.exploded', actions: [{ type: 'add_tag', tag: 'a' }] })).status).toBe(400);
    expect((await owner.post('/api/v1/automations', { name: 'x', trigger: 'time', actions: [{ type: 'add_tag', tag: 'a' }] })).status).toBe(400);
    expect((await owner.post('/api/v1/automations', { name: 'x', trigger: 'ticket.created', actions: [{ type: 'rm_rf' }] })).status).toBe(400);
    expect((await agent.post('/api/v1/automations', { name: 'x', trigger: 'ticket.created', actions: [{ type: 'add_tag', tag: 'a' }] })).status).toBe(403);
  });
});
