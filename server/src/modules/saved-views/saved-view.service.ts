import type { EventBus, UnitOfWork, Actor } from '../../events/events.js';
import { DomainError, forbidden } from '../../http/errors.js';
import { newId, nowIso } from '../../lib/ids.js';
import { requireCustomer } from '../customers/index.js';
import { requireStaffMember, requireTeam } from '../staff/index.js';
import { canEdit, presentSavedView, requireVisibleView, type Viewer } from './saved-view.repo.js';
import type { SavedView, SavedViewFilters, SavedViewSort } from './saved-view.schema.js';

interface Change {
  name?: string;
  filters?: SavedViewFilters;
  sort?: SavedViewSort;
  shared?: boolean;
}

/** A filter naming a staff member, team or customer must name one of this workspace (never another's). */
async function checkFilters(uow: UnitOfWork, workspaceId: string, filters: SavedViewFilters): Promise<void> {
  const references: Array<[string, string | undefined, (id: string) => Promise<unknown>]> = [
    ['assigneeId', filters.assigneeId === 'me' || filters.assigneeId === 'none' ? undefined : filters.assigneeId, (id) => requireStaffMember(uow.trx, workspaceId, id)],
    ['teamId', filters.teamId, (id) => requireTeam(uow.trx, workspaceId, id)],
    ['customerId', filters.customerId, (id) => requireCustomer(uow.trx, workspaceId, id)],
  ];
  for (const [field, id, find] of references) {
    if (!id) continue;
    await find(id).catch((error: unknown) => {
      if (!(error instanceof DomainError && error.code === 'not_found')) throw error;
      throw new DomainError('validation_failed', `The view's ${field} is not one of this workspace.`, [{ path: `body.filters.${field}`, message: 'is not in this workspace' }]);
    });
  }
}

function checkSharing(change: Change, viewer: Viewer): void {
  if (change.shared && !viewer.isManager) throw forbidden('Only managers may share a view with the workspace.');
}

export async function createSavedView(uow: UnitOfWork, bus: EventBus, viewer: Viewer, actor: Actor, input: Required<Change>): Promise<SavedView> {
  checkSharing(input, viewer);
  await checkFilters(uow, viewer.workspaceId, input.filters);
  const now = nowIso();
  const id = newId();
  await uow.trx
    .insertInto('saved_views')
    .values({ id, workspace_id: viewer.workspaceId, owner_staff_id: viewer.staffId, name: input.name, filters: JSON.stringify(input.filters), sort: input.sort, is_shared: input.shared ? 1 : 0, created_at: now, updated_at: now })
    .execute();
  await bus.append(uow, { workspaceId: viewer.workspaceId, actor, type: 'saved_view.created', subjectType: 'saved_view', subjectId: id, payload: { shared: input.shared } });
  return presentSavedView(await requireVisibleView(uow.trx, viewer, id), viewer);
}

export async function updateSavedView(uow: UnitOfWork, bus: EventBus, viewer: Viewer, actor: Actor, id: string, change: Change): Promise<SavedView> {
  const row = await requireVisibleView(uow.trx, viewer, id);
  if (!canEdit(row, viewer)) throw forbidden('Only managers may change a shared view.');
  checkSharing(change, viewer);
  if (change.filters) await checkFilters(uow, viewer.workspaceId, change.filters);
  const columns = {
    ...(change.name !== undefined ? { name: change.name } : {}),
    ...(change.filters !== undefined ? { filters: JSON.stringify(change.filters) } : {}),
    ...(change.sort !== undefined ? { sort: change.sort } : {}),
    ...(change.shared !== undefined ? { is_shared: change.shared ? 1 : 0 } : {}),
    updated_at: nowIso(),
  };
  await uow.trx.updateTable('saved_views').set(columns).where('workspace_id', '=', viewer.workspaceId).where('id', '=', row.id).execute();
  await bus.append(uow, { workspaceId: viewer.workspaceId, actor, type: 'saved_view.updated', subjectType: 'saved_view', subjectId: row.id, payload: { fields: Object.keys(change) } });
  return presentSavedView({ ...row, ...columns }, viewer);
}

export async function deleteSavedView(uow: UnitOfWork, bus: EventBus, viewer: Viewer, actor: Actor, id: string): Promise<SavedView> {
  const row = await requireVisibleView(uow.trx, viewer, id);
  if (!canEdit(row, viewer)) throw forbidden('Only managers may delete a shared view.');
  await uow.trx.deleteFrom('saved_views').where('workspace_id', '=', viewer.workspaceId).where('id', '=', row.id).execute();
  await bus.append(uow, { workspaceId: viewer.workspaceId, actor, type: 'saved_view.deleted', subjectType: 'saved_view', subjectId: row.id, payload: { shared: row.is_shared === 1 } });
  return presentSavedView(row, viewer);
}
