import { expect } from 'vitest';
import { ApiClient, addStaff, ownerPassword, setUpWorkspace } from './client.js';
import { collectIds, exampleOf, fillPath, loadOperations, type Operation } from './openapi.js';

/** One workspace's records of every kind the core has, for route-wide tests. */
export interface WorkspaceFixtures {
  workspaceId: string;
  owner: ApiClient;
  ownerStaffId: string;
  agent: ApiClient;
  manager: ApiClient;
  /** An API token with every scope, acting as the owner. */
  token: string;
  ids: Record<string, string>;
  /** Every id seen in this workspace, core kinds and whatever later modules hand out. */
  allIds: Set<string>;
}

async function created(response: { status: number; body: any }, what: string): Promise<any> {
  if (response.status < 200 || response.status >= 300) throw new Error(`${what} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Fills a workspace through the API with one record of every kind (and a few relations). */
export async function populateWorkspace(owner: ApiClient, workspaceId: string, label: string): Promise<WorkspaceFixtures> {
  const session = await owner.get('/api/v1/auth/session');
  const organization = await created(await owner.post('/api/v1/organizations', { name: `${label} Org`, domain: `${label}.example` }), 'organization');
  const customer = await created(await owner.post('/api/v1/customers', { name: `${label} Customer`, email: `customer@${label}.example`, organizationId: organization.id }), 'customer');
  const customer2 = await created(await owner.post('/api/v1/customers', { name: `${label} Duplicate`, email: `duplicate@${label}.example` }), 'customer');
  const ticket = await created(await owner.post('/api/v1/tickets', { subject: `${label} first ticket`, customer: { id: customer.id }, message: { text: 'Hello from the customer' } }), 'ticket');
  const message = await created(await owner.post(`/api/v1/tickets/${ticket.id}/messages`, { kind: 'inbound', text: 'A second question' }), 'message');
  const ticket2 = await created(await owner.post('/api/v1/tickets', { subject: `${label} second ticket`, customer: { id: customer2.id }, message: { text: 'Another thing' } }), 'ticket');
  await created(await owner.post(`/api/v1/tickets/${ticket.id}/links`, { ticketId: ticket2.id }), 'link');
  const { client: agent, staffId: agentStaffId } = await addStaff(owner, `agent@${label}.example`, 'agent');
  const { client: manager, staffId: managerStaffId } = await addStaff(owner, `manager@${label}.example`, 'manager');
  const team = await created(await owner.post('/api/v1/teams', { name: `${label} Team`, memberIds: [agentStaffId] }), 'team');
  const invitation = await created(await owner.post('/api/v1/invitations', { email: `pending@${label}.example`, role: 'agent' }), 'invitation');
  const apiToken = await created(await owner.post('/api/v1/api-tokens', { name: `${label} token`, scopes: ['read', 'write', 'admin'] }), 'api token');
  // A public address (no DNS, not private), so creation is allowed; the worker never runs in these tests.
  const webhook = await created(await owner.post('/api/v1/webhooks', { url: 'https://93.184.215.14/hook', eventTypes: ['*'] }), 'webhook');
  const status = await created(await owner.post('/api/v1/ticket-statuses', { key: `${label.toLowerCase()}_only`, label: `${label} only`, category: 'pending' }), 'status');
  // A reply on an email ticket, so the email routes (delivery, outbox) have an outgoing mail to show.
  const mailbox = await created(await owner.post('/api/v1/email/mailboxes', { address: `support@${label.toLowerCase()}.example`, name: `${label} Support` }), 'mailbox');
  const emailTicket = await created(await owner.post('/api/v1/tickets', { subject: `${label} email ticket`, customer: { id: customer.id }, channel: 'email', message: { text: 'Sent by email' } }), 'email ticket');
  const emailReply = await created(await owner.post(`/api/v1/tickets/${emailTicket.id}/messages`, { kind: 'reply', text: 'Answered by email' }), 'email reply');
  const upload = await created(await owner.post('/api/v1/email/attachments', { filename: `${label}.txt`, contentBase64: Buffer.from(`${label} notes`).toString('base64') }), 'email attachment');
  // A reopen after solving is a moment of misery: it opens (or proposes) a recovery, whose root cause makes a problem.
  await created(await owner.patch(`/api/v1/tickets/${ticket2.id}`, { status: 'solved' }), 'solving the second ticket');
  await created(await owner.post(`/api/v1/tickets/${ticket2.id}/messages`, { kind: 'inbound', text: 'It broke again' }), 'reopening message');
  const recovery = (await owner.get(`/api/v1/recoveries`)).body.items.find((item: { ticketId: string }) => item.ticketId === ticket2.id);
  if (!recovery) throw new Error('the reopen opened no recovery');
  if (recovery.status === 'proposed') await created(await owner.post(`/api/v1/recoveries/${recovery.id}/accept`, {}), 'accepting the recovery');
  const rootCause = await created(await owner.post(`/api/v1/recoveries/${recovery.id}/root-cause`, { category: 'Delivery', whatFailed: `${label} courier lost the parcel` }), 'root cause');
  const ids: Record<string, string> = {
    workspace: workspaceId,
    user: session.body.user.id,
    ownerStaff: session.body.workspace.staffId,
    agentStaff: agentStaffId,
    managerStaff: managerStaffId,
    organization: organization.id,
    customer: customer.id,
    duplicateCustomer: customer2.id,
    ticket: ticket.id,
    linkedTicket: ticket2.id,
    message: message.message.id,
    team: team.id,
    invitation: invitation.id,
    invitationToken: invitation.token,
    apiToken: apiToken.id,
    webhook: webhook.id,
    statusKey: status.key,
    mailbox: mailbox.id,
    emailTicket: emailTicket.id,
    emailReply: emailReply.message.id,
    emailAttachment: upload.id,
    recovery: recovery.id,
    problem: rootCause.problemId,
  };
  return { workspaceId, owner, ownerStaffId: session.body.workspace.staffId, agent, manager, token: apiToken.token, ids, allIds: new Set(Object.values(ids)) };
}

/** Routes whose side effects would undo the fixtures or the caller's own session. */
const notForHarvest = new Set(['/api/v1/setup', '/api/v1/auth/sign-in', '/api/v1/auth/sign-out', '/api/v1/auth/sign-out-everywhere', '/api/v1/auth/password', '/api/v1/auth/switch-workspace', '/api/v1/invitations/accept', '/api/v1/workspaces']);

/**
 * Creates one record through every collection POST route a schema example satisfies, then reads
 * every list, so ids of kinds added by later modules join the fixtures without naming them here.
 */
export async function harvestIds(client: ApiClient, operations: Operation[], into: Set<string>): Promise<void> {
  const seen = new Set<string>();
  for (const operation of operations) {
    if (operation.method !== 'POST' || operation.pathParams.length > 0 || notForHarvest.has(operation.path)) continue;
    const response = await client.post(operation.path, exampleOf(operation.bodySchema) ?? {});
    if (response.status >= 200 && response.status < 300) collectIds(response.body, into, { seen, source: operation.path });
  }
  for (const operation of operations) {
    if (operation.method !== 'GET' || operation.pathParams.length > 0 || operation.path === '/api/v1/auth/session' || operation.path === '/api/v1/workspaces') continue;
    const query = operation.querySchema?.required?.length ? `?${new URLSearchParams(exampleOf(operation.querySchema) as Record<string, string>)}` : '';
    const response = await client.get(fillPath(operation.path, {}) + query);
    if (response.status === 200) collectIds(response.body, into, { seen, source: operation.path });
  }
}

export interface TwoWorkspaces {
  a: WorkspaceFixtures;
  b: WorkspaceFixtures;
  operations: Operation[];
}

/**
 * Workspace A (from first-run setup) and workspace B (created by the same instance owner, who is
 * therefore a member of both: A's session must still see nothing of B while it is in A).
 */
export async function buildTwoWorkspaces(baseUrl: string): Promise<TwoWorkspaces> {
  const { owner: ownerA, workspaceId: workspaceA } = await setUpWorkspace(baseUrl, 'Alpha', 'owner@alpha.example');
  const workspaceB = await created(await ownerA.post('/api/v1/workspaces', { name: 'Beta' }), 'workspace B');
  const ownerB = new ApiClient(baseUrl);
  await created(await ownerB.post('/api/v1/auth/sign-in', { email: 'owner@alpha.example', password: ownerPassword, workspaceId: workspaceB.id }), 'sign-in to B');
  const sessionB = await ownerB.get('/api/v1/auth/session');
  expect(sessionB.body.workspace.id).toBe(workspaceB.id);
  const a = await populateWorkspace(ownerA, workspaceA, 'Alpha');
  const b = await populateWorkspace(ownerB, workspaceB.id, 'Beta');
  const operations = await loadOperations(baseUrl);
  await harvestIds(ownerA.withToken(a.token), operations, a.allIds);
  await harvestIds(ownerB.withToken(b.token), operations, b.allIds);
  return { a, b, operations };
}
