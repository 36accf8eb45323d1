import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, del, fieldSentence, get, patch, post, put } from '../../app/api';
import type { Ticket } from '../../app/types';

/** Server shapes for business hours, automations, routing and playbooks (see their *.routes.ts). */
export interface Interval {
  day: number;
  start: number;
  end: number;
}

export interface Calendar {
  id: string;
  name: string;
  teamId: string | null;
  timeZone: string;
  intervals: Interval[];
  holidays: string[];
}

export type CalendarBody = Omit<Calendar, 'id'>;

export interface RuleConditions {
  priorities?: string[];
  statusCategories?: string[];
  channels?: string[];
  tiers?: string[];
  types?: string[];
  tagsAny?: string[];
  tagsNone?: string[];
  subjectContains?: string;
  assigned?: boolean;
  messageKind?: 'inbound' | 'outbound' | 'note';
  hoursSinceUpdate?: number;
}

export type RuleAction =
  | { type: 'assign'; staffId: string | null }
  | { type: 'set_priority'; priority: string }
  | { type: 'set_status'; status: string }
  | { type: 'set_team'; teamId: string | null }
  | { type: 'add_tag'; tag: string }
  | { type: 'set_type'; typeKey: string | null }
  | { type: 'add_note'; text: string }
  | { type: 'attach_playbook'; playbookId: string }
  | { type: 'notify_staff'; staffIds: string[]; message: string }
  | { type: 'apply_macro'; macroId: string }
  | { type: 'send_email'; text: string };

export interface Rule {
  id: string;
  name: string;
  position: number;
  trigger: string;
  conditions: RuleConditions;
  actions: RuleAction[];
  isActive: boolean;
}

export type RuleBody = Omit<Rule, 'id' | 'position'>;

export interface RuleTestResult {
  since: string;
  matches: Array<{ ticketId: string; eventId: number | null; at: string }>;
}

export interface SlaPolicy {
  id: string;
  name: string;
  position: number;
  conditions: { priorities?: string[]; tiers?: string[]; channels?: string[]; tags?: string[] };
  targets: { firstResponse: number | null; nextResponse: number | null; resolution: number | null };
  warningPercent: number;
  calendarId: string | null;
  isActive: boolean;
}

export type SlaPolicyBody = Omit<SlaPolicy, 'id' | 'position'>;

export interface Availability {
  staffId: string;
  available: boolean;
  capacity: number;
  skills: string[];
}

export type RoutingMethod = 'off' | 'round_robin' | 'load' | 'skills';

export interface PlaybookStep {
  id?: string;
  title: string;
  required: boolean;
}

export interface Playbook {
  id: string;
  name: string;
  steps: Array<PlaybookStep & { id: string }>;
}

/** Create-or-update and delete for one settings collection, refreshing its list afterwards. */
function useCollection<T extends { id: string }, Body>(key: string, path: string) {
  const client = useQueryClient();
  const list = useQuery({ queryKey: [key], queryFn: () => get<{ items: T[] }>(path).then((page) => page.items) });
  const refresh = () => client.invalidateQueries({ queryKey: [key] });
  const save = useMutation({ mutationFn: ({ id, body }: { id: string | null; body: Partial<Body> }) => (id ? patch<T>(`${path}/${id}`, body) : post<T>(path, body)), onSuccess: refresh });
  const remove = useMutation({ mutationFn: (id: string) => del(`${path}/${id}`), onSuccess: refresh });
  // Changes made from the list (reorder, enable): the list is fetched again whether they worked or not.
  const arrange = useMutation({ mutationFn: (work: () => Promise<unknown>) => work(), onSettled: refresh });
  return { list, save, remove, arrange };
}

export const useCalendars = () => useCollection<Calendar, CalendarBody>('business-hours', '/api/v1/business-hours');
export const useSlaPolicies = () => useCollection<SlaPolicy, SlaPolicyBody & { position: number }>('sla-policies', '/api/v1/sla-policies');
export const useRules = () => useCollection<Rule, RuleBody & { position: number }>('automations', '/api/v1/automations');
export const usePlaybooks = () => useCollection<Playbook, { name: string; steps: PlaybookStep[] }>('playbooks', '/api/v1/playbooks');

/**
 * Moves one item of an ordered list (rules, policies) and renumbers them all 0…n-1, so equal or
 * sparse positions cannot turn a move into a no-op.
 */
export async function reorder(items: Array<{ id: string; position: number }>, from: number, to: number, path: string): Promise<void> {
  const order = [...items];
  const [moved] = order.splice(from, 1);
  order.splice(to, 0, moved!);
  await Promise.all(order.map((item, position) => (item.position === position ? null : patch(`${path}/${item.id}`, { position }))));
}

/** "Which tickets would this rule have matched last week?": the unsaved form, or a saved rule by id. */
export function useRuleTest() {
  return useMutation({ mutationFn: (input: { id: string } | { body: RuleBody }) => ('id' in input ? post<RuleTestResult>(`/api/v1/automations/${input.id}/test`) : post<RuleTestResult>('/api/v1/automations/test', input.body)) });
}

/** Number and subject of the first matched tickets, so a test result reads as tickets rather than ids. */
export function useTicketSummaries(ticketIds: string[]) {
  return useQueries({ queries: ticketIds.map((id) => ({ queryKey: ['ticket', id, 'ticket'], queryFn: () => get<Ticket>(`/api/v1/tickets/${id}`), staleTime: 60_000 })) });
}

export function useRouting() {
  const client = useQueryClient();
  const settings = useQuery({ queryKey: ['routing', 'settings'], queryFn: () => get<{ method: RoutingMethod }>('/api/v1/routing/settings') });
  const availability = useQuery({ queryKey: ['routing', 'availability'], queryFn: () => get<{ items: Availability[] }>('/api/v1/routing/availability').then((page) => page.items) });
  const setMethod = useMutation({ mutationFn: (method: RoutingMethod) => put<{ method: RoutingMethod }>('/api/v1/routing/settings', { method }), onSuccess: (saved) => client.setQueryData(['routing', 'settings'], saved) });
  return { settings, availability, setMethod };
}

/**
 * The server's field errors for `body.<path>` and anything under it, as plain sentences, so each
 * form shows a problem next to the field that caused it.
 */
export function errorAt(error: unknown, path: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const hits = error.errors.filter((field) => field.path === `body.${path}` || field.path.startsWith(`body.${path}.`));
  return hits.length ? hits.map((field) => fieldSentence(field.message)).join(' ') : undefined;
}

/** The error to show at the form's foot: anything the fields listed in `shown` do not already show. */
export function otherError(error: unknown, shown: string[]): unknown {
  if (!(error instanceof ApiError) || error.errors.length === 0) return error;
  return error.errors.every((field) => shown.some((path) => field.path === `body.${path}` || field.path.startsWith(`body.${path}.`))) ? null : error;
}
