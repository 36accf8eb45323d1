import { useEffect, useMemo, useRef, useState } from 'react';
import { Badge, Button, Checkbox, Group, Loader, Menu, Popover, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useHotkeys, useMediaQuery } from '@mantine/hooks';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError, del, get, patch, post, query } from '../../app/api';
import { rememberTicketOrder } from '../../app/ticketList';
import { isManager, useSession, useStaff, useStatuses } from '../../app/session';
import type { Page, Ticket } from '../../app/types';
import { ErrorText } from '../../ui/ErrorText';
import { ago, dateTime } from '../../ui/format';
import { PriorityBadge, StatusBadge } from '../../ui/StatusBadge';
import type { InboxView, SavedView } from './views';
import { useView, useViewCount } from './useViews';
import { useTicketTypes } from '../consistency/ticketTypes.api';

type ColumnKey = 'customer' | 'subject' | 'status' | 'priority' | 'type' | 'assignee' | 'waiting' | 'tags';
const allColumns: Array<{ key: ColumnKey; label: string; width: string }> = [
  { key: 'customer', label: 'Customer', width: 'minmax(120px, 1.2fr)' },
  { key: 'subject', label: 'Subject', width: 'minmax(160px, 2.6fr)' },
  { key: 'status', label: 'Status', width: '110px' },
  { key: 'priority', label: 'Priority', width: '104px' },
  { key: 'type', label: 'Type', width: 'minmax(110px, 1fr)' },
  { key: 'assignee', label: 'Assignee', width: 'minmax(90px, 1fr)' },
  { key: 'waiting', label: 'Waiting', width: '116px' },
  { key: 'tags', label: 'Tags', width: 'minmax(120px, 1.3fr)' },
];
const columnsKey = 'raving-inbox-columns';
const sorts = [
  { value: 'urgency', label: 'Most urgent first' },
  { value: 'waitingSince', label: 'Waiting longest' },
  { value: '-updatedAt', label: 'Recently updated' },
  { value: 'updatedAt', label: 'Least recently updated' },
  { value: '-createdAt', label: 'Newest' },
  { value: 'createdAt', label: 'Oldest' },
  { value: '-number', label: 'Number, high to low' },
];
/** The order of a view that names none (every built-in view). */
const defaultSort = 'urgency';
const sortLabel = (sort: string) => sorts.find((option) => option.value === sort)?.label ?? sort;
const rowHeight = 44;
/** On a phone a row is two lines (who and when, then the subject) beside its status. */
const phoneRowHeight = 60;
const pageSize = 100;

function loadColumns(): ColumnKey[] {
  try {
    const saved = JSON.parse(localStorage.getItem(columnsKey) ?? 'null') as ColumnKey[] | null;
    if (Array.isArray(saved) && saved.length) return saved.filter((key) => allColumns.some((column) => column.key === key));
  } catch {
    // fall back to all columns
  }
  return allColumns.map((column) => column.key);
}

function SaveViewButton({ base, sort }: { base: InboxView; sort: string }) {
  const [opened, setOpened] = useState(false);
  const [name, setName] = useState('');
  const [priority, setPriority] = useState<string | null>(null);
  const [type, setType] = useState<string | null>(null);
  const types = useTicketTypes();
  const [tag, setTag] = useState('');
  const [shared, setShared] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { data: session } = useSession();
  const client = useQueryClient();
  const navigate = useNavigate();
  const save = async () => {
    setError(null);
    try {
      const filters = { ...base.filters, ...(priority ? { priority } : {}), ...(type ? { type } : {}), ...(tag.trim() ? { tag: tag.trim().toLowerCase() } : {}) };
      const view = await post<SavedView>('/api/v1/views', { name, filters, sort, shared });
      await client.invalidateQueries({ queryKey: ['views'] });
      await client.invalidateQueries({ queryKey: ['counts', 'views'] });
      setOpened(false);
      setName('');
      navigate(`/views/${view.id}`);
    } catch (caught) {
      setError(caught);
    }
  };
  const nameError = error instanceof ApiError ? error.forField('name') : undefined;
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" withinPortal trapFocus>
      <Popover.Target>
        <Button size="xs" variant="default" onClick={() => setOpened((value) => !value)}>
          Save view…
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs" w={240} component="form" onSubmit={(event) => { event.preventDefault(); void save(); }}>
          <Text size="xs" c="dimmed">Based on “{base.name}”, sorted “{sortLabel(sort)}”, with these filters:</Text>
          <TextInput label="Name" size="xs" value={name} onChange={(event) => setName(event.currentTarget.value)} error={nameError} data-autofocus />
          <Select label="Priority" size="xs" clearable data={['urgent', 'high', 'normal', 'low']} value={priority} onChange={setPriority} comboboxProps={{ withinPortal: false }} />
          <Select label="Type" size="xs" clearable data={[...(types.data ?? []).map((ticketType) => ({ value: ticketType.key, label: ticketType.label })), { value: 'none', label: 'No type' }]} value={type} onChange={setType} comboboxProps={{ withinPortal: false }} />
          <TextInput label="Tag" size="xs" value={tag} onChange={(event) => setTag(event.currentTarget.value)} />
          {isManager(session) ? <Checkbox size="xs" label="Share with the workspace" checked={shared} onChange={(event) => setShared(event.currentTarget.checked)} /> : null}
          {nameError ? null : <ErrorText error={error} inline />}
          <Button size="xs" type="submit">Save</Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

/** Offered on a view its viewer may change once they pick another order than the one it keeps. */
function KeepOrderButton({ view, sort }: { view: InboxView; sort: string }) {
  const client = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const keep = async () => {
    setError(null);
    try {
      await patch(`/api/v1/views/${view.id}`, { sort });
      await client.invalidateQueries({ queryKey: ['views'] });
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <>
      <Button size="xs" variant="light" onClick={() => void keep()}>
        Keep this order
      </Button>
      <ErrorText error={error} inline />
    </>
  );
}

function DeleteViewButton({ view }: { view: InboxView }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const remove = async () => {
    setError(null);
    try {
      await del(`/api/v1/views/${view.id}`);
      navigate('/views/open');
      await client.invalidateQueries({ queryKey: ['views'] });
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <>
      <Button size="xs" variant="subtle" color="red" onClick={() => void remove()}>
        Delete view
      </Button>
      <ErrorText error={error} inline />
    </>
  );
}

function BulkBar({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const staff = useStaff();
  const statuses = useStatuses();
  const client = useQueryClient();
  const [tag, setTag] = useState('');
  const [error, setError] = useState<unknown>(null);
  const apply = async (changes: Record<string, unknown>) => {
    setError(null);
    try {
      await post('/api/v1/tickets/bulk', { ticketIds: ids, changes });
      await client.invalidateQueries({ queryKey: ['tickets'] });
      await client.invalidateQueries({ queryKey: ['counts'] });
      onDone();
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <Stack gap={4} px="md" py="xs" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }} data-testid="bulk-bar">
      <Group gap="xs" wrap="wrap">
        <Text size="sm" fw={600}>{ids.length} selected</Text>
        <Select size="xs" placeholder="Assign to…" aria-label="Assign selected tickets to" data={[{ value: '__none', label: 'Nobody' }, ...(staff.data ?? []).filter((member) => member.isActive).map((member) => ({ value: member.id, label: member.name }))]} onChange={(value) => value && void apply({ assigneeId: value === '__none' ? null : value })} value={null} w={160} />
        <Select size="xs" placeholder="Set status…" aria-label="Set status of selected tickets" data={(statuses.data ?? []).map((status) => ({ value: status.key, label: status.label }))} onChange={(value) => value && void apply({ status: value })} value={null} w={150} />
        <TextInput size="xs" placeholder="Add tag" aria-label="Tag to add to selected tickets" value={tag} onChange={(event) => setTag(event.currentTarget.value)} onKeyDown={(event) => event.key === 'Enter' && tag.trim() && void apply({ addTags: [tag.trim()] }).then(() => setTag(''))} w={130} />
        <Button size="xs" variant="subtle" onClick={onDone}>Clear selection</Button>
      </Group>
      <ErrorText error={error} inline />
    </Stack>
  );
}

export default function InboxPage() {
  const view = useView(useParams().viewId);
  // Keyed by view, so another view starts with its own order and nothing selected.
  return view ? <ViewTickets key={view.id} view={view} /> : <Loader m="xl" aria-label="Loading the view" />;
}

function ViewTickets({ view }: { view: InboxView }) {
  const navigate = useNavigate();
  const [sort, setSort] = useState(view.sort ?? defaultSort);
  const [columns, setColumns] = useState<ColumnKey[]>(loadColumns);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [active, setActive] = useState(0);
  const staff = useStaff();
  const count = useViewCount(view);
  const staffNames = useMemo(() => new Map((staff.data ?? []).map((member) => [member.id, member.name])), [staff.data]);
  const ticketTypes = useTicketTypes();
  const typeLabels = useMemo(() => new Map((ticketTypes.data ?? []).map((ticketType) => [ticketType.key, ticketType.label])), [ticketTypes.data]);

  const tickets = useInfiniteQuery({
    queryKey: ['tickets', view.filters, sort],
    queryFn: ({ pageParam }) => get<Page<Ticket>>(`/api/v1/tickets${query({ ...view.filters, sort, limit: pageSize, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = useMemo(() => tickets.data?.pages.flatMap((page) => page.items) ?? [], [tickets.data]);
  useEffect(() => rememberTicketOrder(rows.map((row) => row.id)), [rows]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const phone = useMediaQuery('(max-width: 48em)');
  const height = phone ? phoneRowHeight : rowHeight;
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => height, overscan: 12 });
  useEffect(() => virtualizer.measure(), [height, virtualizer]);
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (lastIndex >= rows.length - 20 && tickets.hasNextPage && !tickets.isFetchingNextPage) void tickets.fetchNextPage();
  }, [lastIndex, rows.length, tickets]);

  const move = (step: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, active + step));
    setActive(next);
    virtualizer.scrollToIndex(next);
    document.querySelector<HTMLElement>(`[data-row-index="${next}"]`)?.focus();
  };
  const toggle = (id: string) => setSelected((current) => {
    const next = new Set(current);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });
  useHotkeys([
    ['j', () => move(1)],
    ['k', () => move(-1)],
    ['x', () => rows[active] && toggle(rows[active]!.id)],
    ['Enter', () => rows[active] && navigate(`/tickets/${rows[active]!.id}`)],
  ]);

  // A workspace without ticket types would only see an empty Type column squeezing the subjects.
  const hasTypes = (ticketTypes.data?.length ?? 0) > 0;
  const offered = allColumns.filter((column) => column.key !== 'type' || hasTypes);
  const visible = offered.filter((column) => columns.includes(column.key));
  const template = phone ? '36px minmax(0, 1fr) auto' : ['36px', '64px', ...visible.map((column) => column.width)].join(' ');
  const setColumn = (key: ColumnKey, on: boolean) => {
    const next = on ? allColumns.map((column) => column.key).filter((candidate) => candidate === key || columns.includes(candidate)) : columns.filter((candidate) => candidate !== key);
    setColumns(next);
    localStorage.setItem(columnsKey, JSON.stringify(next));
  };
  const allSelected = rows.length > 0 && rows.every((row) => selected.has(row.id));
  const countLabel = count === undefined ? '' : String(count);

  const cell = (ticket: Ticket, key: ColumnKey) => {
    switch (key) {
      case 'customer':
        return ticket.customer?.name ?? '—';
      case 'subject':
        return (
          <Link to={`/tickets/${ticket.id}`} className="ticket-subject" style={{ color: 'inherit', textDecoration: 'none', fontWeight: ticket.statusCategory === 'new' ? 700 : 500 }} tabIndex={-1}>
            {ticket.subject}
          </Link>
        );
      case 'status':
        return <StatusBadge status={ticket.status} category={ticket.statusCategory} />;
      case 'priority':
        return <PriorityBadge priority={ticket.priority} />;
      case 'type':
        return ticket.type ? typeLabels.get(ticket.type) ?? ticket.type : null;
      case 'assignee':
        return ticket.assigneeId ? staffNames.get(ticket.assigneeId) ?? '…' : <Text span c="dimmed" size="sm">Unassigned</Text>;
      case 'waiting':
        // Since the customer's first unanswered message; a ticket nobody waits on (answered, solved) says so, dimmed.
        return ticket.waitingSince ? (
          <time dateTime={ticket.waitingSince} title={`Waiting since ${dateTime(ticket.waitingSince)}`}>waiting {ago(ticket.waitingSince)}</time>
        ) : (
          <Text span c="dimmed" size="sm">not waiting</Text>
        );
      case 'tags':
        return ticket.tags.map((tag) => <Badge key={tag} size="xs" variant="outline" color="gray" mr={4}>{tag}</Badge>);
    }
  };

  return (
    <Stack gap={0} style={{ flex: 1, minHeight: 0 }}>
      <Group justify="space-between" px="md" py="sm" wrap="wrap" gap="xs">
        <Group gap="xs">
          <Title order={1} size="h3">{view.name}</Title>
          {countLabel ? <Badge variant="light" color="gray" data-testid="view-count">{countLabel}</Badge> : null}
        </Group>
        <Group gap="xs">
          <Select size="xs" aria-label="Sort tickets" data={sorts} value={sort} onChange={(value) => value && setSort(value)} allowDeselect={false} w={200} />
          <Menu closeOnItemClick={false} withinPortal position="bottom-end">
            <Menu.Target>
              <Button size="xs" variant="default" className="hide-phone">Columns</Button>
            </Menu.Target>
            <Menu.Dropdown>
              {offered.map((column) => (
                <Menu.Item key={column.key} onClick={() => setColumn(column.key, !columns.includes(column.key))} leftSection={<Checkbox size="xs" checked={columns.includes(column.key)} readOnly tabIndex={-1} aria-hidden />}>
                  {column.label}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
          {view.saved?.canEdit && sort !== (view.sort ?? defaultSort) ? <KeepOrderButton view={view} sort={sort} /> : null}
          <SaveViewButton base={view} sort={sort} />
          {view.saved?.canEdit ? <DeleteViewButton view={view} /> : null}
        </Group>
      </Group>
      {selected.size > 0 ? <BulkBar ids={[...selected]} onDone={() => setSelected(new Set())} /> : null}
      <ErrorText error={tickets.error} />
      <div role="table" aria-label={`Tickets: ${view.name}`} aria-rowcount={rows.length + 1} style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
        <div role="rowgroup">
          <div role="row" className="inbox-header" style={{ gridTemplateColumns: template }}>
            <div role="columnheader" className="inbox-cell">
              <Checkbox size="xs" aria-label="Select all loaded tickets" checked={allSelected} indeterminate={selected.size > 0 && !allSelected} onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((row) => row.id)))} />
            </div>
            {phone ? (
              <>
                <div role="columnheader" className="inbox-cell">Ticket</div>
                <div role="columnheader" className="inbox-cell">Status</div>
              </>
            ) : (
              <>
                <div role="columnheader" className="inbox-cell">#</div>
                {visible.map((column) => (
                  <div role="columnheader" key={column.key} className="inbox-cell">{column.label}</div>
                ))}
              </>
            )}
          </div>
        </div>
        <div ref={scrollRef} role="rowgroup" style={{ flex: 1, minHeight: 0, overflow: 'auto' }} data-testid="inbox-rows" aria-busy={tickets.isFetching}>
          {tickets.isSuccess && rows.length === 0 ? (
            // Inside a row and cell, so an empty table still has the structure assistive technology expects.
            <div role="row">
              <div role="cell">
                <Text c="dimmed" p="xl" ta="center">No tickets in this view. Nice work.</Text>
              </div>
            </div>
          ) : null}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const ticket = rows[item.index]!;
              return (
                <div
                  key={ticket.id}
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-selected={selected.has(ticket.id)}
                  tabIndex={item.index === active ? 0 : -1}
                  data-row-index={item.index}
                  data-active={item.index === active}
                  data-testid="ticket-row"
                  className="inbox-row"
                  onClick={() => navigate(`/tickets/${ticket.id}`)}
                  onKeyDown={(event) => event.key === 'Enter' && event.currentTarget === event.target && navigate(`/tickets/${ticket.id}`)}
                  onFocus={() => setActive(item.index)}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height, transform: `translateY(${item.start}px)`, gridTemplateColumns: template }}
                >
                  <div role="cell" className="inbox-cell" onClick={(event) => event.stopPropagation()}>
                    <Checkbox size="xs" aria-label={`Select ticket ${ticket.number}`} checked={selected.has(ticket.id)} onChange={() => toggle(ticket.id)} />
                  </div>
                  {phone ? (
                    <>
                      <div role="cell" className="inbox-cell">
                        <Text size="xs" c="dimmed" truncate="end">#{ticket.number} · {cell(ticket, 'customer')} · {cell(ticket, 'waiting')}</Text>
                        <Text size="sm" truncate="end">{cell(ticket, 'subject')}</Text>
                      </div>
                      <div role="cell" className="inbox-cell">{cell(ticket, 'status')}</div>
                    </>
                  ) : (
                    <>
                      <div role="cell" className="inbox-cell"><Text size="sm" c="dimmed">#{ticket.number}</Text></div>
                      {visible.map((column) => (
                        <div role="cell" key={column.key} className="inbox-cell" style={{ fontSize: 'var(--mantine-font-size-sm)' }}>
                          {cell(ticket, column.key)}
                        </div>
                      ))}
                    </>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </Stack>
  );
}
