import type { Db, Tx } from '../../db/database.js';
import type { Row } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';
import { parseJson } from '../../lib/json.js';
import type { SavedView, SavedViewFilters, SavedViewSort } from './saved-view.schema.js';

/** Who is looking: a view's visibility and editability depend on it. */
export interface Viewer {
  workspaceId: string;
  staffId: string;
  isManager: boolean;
}

export function canEdit(row: Row<'saved_views'>, viewer: Viewer): boolean {
  return row.is_shared === 1 ? viewer.isManager : row.owner_staff_id === viewer.staffId;
}

export function presentSavedView(row: Row<'saved_views'>, viewer: Viewer): SavedView {
  return {
    id: row.id,
    name: row.name,
    filters: parseJson<SavedViewFilters>(row.filters, {}),
    // Written only through the schema's enum, so the stored text is one of the list's sorts.
    sort: row.sort as SavedViewSort,
    shared: row.is_shared === 1,
    ownerStaffId: row.owner_staff_id,
    canEdit: canEdit(row, viewer),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The caller's own views and the workspace's shared ones; someone else's private view is never visible. */
function visibleViews(db: Db | Tx, viewer: Viewer) {
  return db
    .selectFrom('saved_views')
    .selectAll()
    .where('workspace_id', '=', viewer.workspaceId)
    .where((eb) => eb.or([eb('owner_staff_id', '=', viewer.staffId), eb('is_shared', '=', 1)]));
}

/** Shared views first (the team's common ground), then the caller's own, each by name. */
export function listVisibleViews(db: Db | Tx, viewer: Viewer): Promise<Array<Row<'saved_views'>>> {
  return visibleViews(db, viewer).orderBy('is_shared', 'desc').orderBy('name').orderBy('id').execute();
}

export async function requireVisibleView(db: Db | Tx, viewer: Viewer, id: string): Promise<Row<'saved_views'>> {
  const row = await visibleViews(db, viewer).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('View');
  return row;
}
