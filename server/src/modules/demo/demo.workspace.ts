import type { App, AppContext } from '../../context.js';
import { inUnitOfWork, systemActor } from '../../events/events.js';
import { createMailbox } from '../email/index.js';
import { countWorkspaces, runFirstSetup } from '../workspaces/index.js';
import { demoStaffPassword } from './demo.generator.js';
import { replayDemoDesk } from './demo.story.js';

export const demoOwnerEmail = 'owner@demo.raving.example';
const demoMailboxAddress = 'support@demo.raving.example';

/**
 * `npm start -- --demo` on an empty install: a workspace full of realistic data and an owner to
 * sign in with, printed on the terminal. Does nothing once any workspace exists. Runs before the
 * server listens and before the job worker starts: the replay moves a simulated clock and runs the
 * due jobs itself.
 */
export async function ensureDemoWorkspace(app: App, context: AppContext, size: { tickets: number; replayedTickets: number; customers: number } = { tickets: 500, replayedTickets: 80, customers: 160 }): Promise<{ email: string; password: string } | null> {
  const { db, dialect } = context.database;
  if ((await countWorkspaces(db)) > 0) return null;
  const setup = await inUnitOfWork(db, context.bus, (uow) =>
    runFirstSetup(uow, context.bus, dialect, { workspaceName: 'Demo Shop', timeZone: 'Europe/London', ownerName: 'Dana Demo', email: demoOwnerEmail, password: demoStaffPassword }),
  );
  await replayDemoDesk(app, context, { workspaceId: setup.workspaceId, ownerStaffId: setup.staffId, ownerEmail: demoOwnerEmail, ...size, replayDays: 12, seed: 42, weeks: 12 });
  // A support address, so a newcomer finds the email settings filled in (mail to it becomes tickets).
  await inUnitOfWork(db, context.bus, async (uow) => {
    const support = await uow.trx.selectFrom('teams').select('id').where('workspace_id', '=', setup.workspaceId).where('name', '=', 'Support').executeTakeFirst();
    await createMailbox(uow, context.bus, setup.workspaceId, systemActor, { address: demoMailboxAddress, name: 'Demo Shop Support', teamId: support?.id ?? null });
  });
  return { email: demoOwnerEmail, password: demoStaffPassword };
}
