export interface ViewFilters {
  statusCategory?: string;
  assigneeId?: string;
  priority?: string;
  tag?: string;
  teamId?: string;
}

export interface InboxView {
  id: string;
  name: string;
  filters: ViewFilters;
  custom?: boolean;
}

export const builtInViews: InboxView[] = [
  { id: 'mine', name: 'Mine', filters: { assigneeId: 'me', statusCategory: 'new,open,pending,on_hold' } },
  { id: 'unassigned', name: 'Unassigned', filters: { assigneeId: 'none', statusCategory: 'new,open' } },
  { id: 'open', name: 'All open', filters: { statusCategory: 'new,open' } },
  { id: 'pending', name: 'Pending', filters: { statusCategory: 'pending,on_hold' } },
  { id: 'solved', name: 'Solved', filters: { statusCategory: 'solved,closed' } },
];

const storageKey = 'raving-custom-views';

/** Saved views live in this browser until views get an API of their own. */
export function loadCustomViews(): InboxView[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(storageKey) ?? '[]');
    return Array.isArray(parsed) ? (parsed as InboxView[]).filter((view) => typeof view?.id === 'string' && typeof view?.name === 'string').map((view) => ({ ...view, custom: true })) : [];
  } catch {
    return [];
  }
}

export function saveCustomViews(views: InboxView[]): void {
  localStorage.setItem(storageKey, JSON.stringify(views));
  window.dispatchEvent(new Event('raving-views-changed'));
}

export function findView(id: string | undefined): InboxView {
  return [...builtInViews, ...loadCustomViews()].find((view) => view.id === id) ?? builtInViews[2]!;
}
