import type { AppContext } from '../../context.js';
import { inUnitOfWork } from '../../events/events.js';
import { countWorkspaces, runFirstSetup } from '../workspaces/index.js';
import { demoStaffPassword, generateDemoData } from './demo.generator.js';

export const demoOwnerEmail = 'owner@demo.raving.example';

/**
 * `npm start -- --demo` on an empty install: a workspace full of realistic data and an owner to
 * sign in with, printed on the terminal. Does nothing once any workspace exists.
 */
export async function ensureDemoWorkspace(context: AppContext): Promise<{ email: string; password: string } | null> {
  const { db, dialect } = context.database;
  if ((await countWorkspaces(db)) > 0) return null;
  const setup = await inUnitOfWork(db, context.bus, (uow) =>
    runFirstSetup(uow, context.bus, dialect, { workspaceName: 'Demo Shop', timeZone: 'Europe/London', ownerName: 'Dana Demo', email: demoOwnerEmail, password: demoStaffPassword }),
  );
  await generateDemoData(context.database, { workspaceId: setup.workspaceId, ownerStaffId: setup.staffId, tickets: 500 });
  return { email: demoOwnerEmail, password: demoStaffPassword };
}
