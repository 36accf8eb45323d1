import type { App, AppContext } from '../../context.js';
import { inUnitOfWork, systemActor } from '../../events/events.js';
import { createMailbox } from '../email/index.js';
import { countWorkspaces, runFirstSetup } from '../workspaces/index.js';
import { demoStaffPassword } from './demo.generator.js';
import { replayDemoDesk } from './demo.story.js';

export const demoOwnerEmail = 'owner@demo.raving.example';
const demoMailboxAddress = 'support@demo.raving.example';

export interface DemoDeskSize {
  tickets: number;
  customers: number;
}

export const defaultDemoSize: DemoDeskSize = { tickets: 500, customers: 160 };

/**
 * `npm start -- --demo` on an empty install: a workspace full of realistic data and an owner to
 * sign in with, printed on the terminal. Does nothing once any workspace exists. Runs before the
 * server listens and before the job worker starts: the replay moves a simulated clock and runs the
 * due jobs itself.
 */
export async function ensureDemoWorkspace(app: App, context: AppContext, size: DemoDeskSize = defaultDemoSize, onProgress?: (share: number) => void): Promise<{ email: string; password: string } | null> {
  const { db, dialect } = context.database;
  if ((await countWorkspaces(db)) > 0) return null;
  const setup = await inUnitOfWork(db, context.bus, (uow) =>
    runFirstSetup(uow, context.bus, dialect, { workspaceName: 'Demo Shop', timeZone: 'Europe/London', ownerName: 'Dana Demo', email: demoOwnerEmail, password: demoStaffPassword }),
  );
  await fillDemoWorkspace(app, context, { workspaceId: setup.workspaceId, ownerStaffId: setup.staffId, ownerEmail: demoOwnerEmail, ownerPassword: demoStaffPassword }, size, onProgress);
  return { email: demoOwnerEmail, password: demoStaffPassword };
}

/**
 * Lives the demo desk's twelve weeks in a new, empty workspace: `--demo`'s, or the one the setup
 * form has just created when its owner asked for demo data (signed in with the password they chose),
 * so both give the same desk. The caller keeps every other user of the clock and the job queue away
 * meanwhile (the job worker stopped, no other workspace yet).
 */
export async function fillDemoWorkspace(
  app: App,
  context: AppContext,
  owner: { workspaceId: string; ownerStaffId: string; ownerEmail: string; ownerPassword: string },
  size: DemoDeskSize = defaultDemoSize,
  onProgress?: (share: number) => void,
): Promise<void> {
  await replayDemoDesk(app, context, { ...owner, ...size, seed: 42, weeks: 12, onProgress });
  // A support address, so a newcomer finds the email settings filled in (mail to it becomes tickets).
  await inUnitOfWork(context.database.db, context.bus, async (uow) => {
    const support = await uow.trx.selectFrom('teams').select('id').where('workspace_id', '=', owner.workspaceId).where('name', '=', 'Support').executeTakeFirst();
    await createMailbox(uow, context.bus, owner.workspaceId, systemActor, { address: demoMailboxAddress, name: 'Demo Shop Support', teamId: support?.id ?? null });
  });
}
