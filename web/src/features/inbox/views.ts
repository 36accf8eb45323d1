export interface ViewFilters {
  statusCategory?: string;
  assigneeId?: string;
  priority?: string;
  tag?: string;
  teamId?: string;
  /** A ticket type key, or "none". */
  type?: string;
}

export interface InboxView {
  id: string;
  name: string;
  filters: ViewFilters;
  /** The order its tickets are listed in; the inbox default (most urgent first) when absent. */
  sort?: string | null;
  /** Saved on the server (GET /api/v1/views) rather than built in. */
  saved?: { shared: boolean; canEdit: boolean };
}

/** A saved view as the API returns it. */
export interface SavedView {
  id: string;
  name: string;
  filters: ViewFilters;
  sort: string | null;
  shared: boolean;
  ownerStaffId: string;
  canEdit: boolean;
}

export const builtInViews: InboxView[] = [
  { id: 'mine', name: 'Mine', filters: { assigneeId: 'me', statusCategory: 'new,open,pending,on_hold' } },
  { id: 'unassigned', name: 'Unassigned', filters: { assigneeId: 'none', statusCategory: 'new,open' } },
  { id: 'open', name: 'All open', filters: { statusCategory: 'new,open' } },
  { id: 'pending', name: 'Pending', filters: { statusCategory: 'pending,on_hold' } },
  { id: 'solved', name: 'Solved', filters: { statusCategory: 'solved,closed' } },
];

export const defaultView = builtInViews[2]!;

export function inboxViewOf(view: SavedView): InboxView {
  return { id: view.id, name: view.name, filters: view.filters, sort: view.sort, saved: { shared: view.shared, canEdit: view.canEdit } };
}
