import { useState, type FormEvent } from 'react';
import { ActionIcon, Badge, Button, Group, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTeams } from '../../app/session';
import { ErrorText } from '../../ui/ErrorText';
import { FormButtons } from './SettingsControls';
import { errorAt, otherError, useCalendars, type Calendar, type CalendarBody, type Interval } from './settings.api';
import { TableScroll } from '../../ui/TableScroll';

/** Monday first, as people read a working week; the API numbers days 0 = Sunday … 6 = Saturday. */
const week = [
  { day: 1, name: 'Monday' },
  { day: 2, name: 'Tuesday' },
  { day: 3, name: 'Wednesday' },
  { day: 4, name: 'Thursday' },
  { day: 5, name: 'Friday' },
  { day: 6, name: 'Saturday' },
  { day: 0, name: 'Sunday' },
];

const pad = (value: number) => String(value).padStart(2, '0');
// A time input cannot say 24:00, so an end of 00:00 means "until midnight".
const clock = (minutes: number) => `${pad(Math.floor((minutes % 1440) / 60))}:${pad(minutes % 60)}`;
const minutesOf = (text: string, isEnd: boolean) => {
  const [hours = 0, minutes = 0] = text.split(':').map(Number);
  const total = hours * 60 + minutes;
  return isEnd && total === 0 ? 1440 : total;
};

interface Slot {
  start: string;
  end: string;
}
interface Form {
  name: string;
  teamId: string | null;
  timeZone: string;
  hours: Record<number, Slot[]>;
  holidays: string[];
}

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const zones = (() => {
  const list = Intl.supportedValuesOf('timeZone');
  return list.includes('UTC') ? list : ['UTC', ...list];
})();

function emptyForm(): Form {
  const hours: Record<number, Slot[]> = {};
  for (const { day } of week) hours[day] = day >= 1 && day <= 5 ? [{ start: '09:00', end: '17:00' }] : [];
  return { name: '', teamId: null, timeZone: browserZone, hours, holidays: [] };
}

function formOf(calendar: Calendar): Form {
  const hours: Record<number, Slot[]> = {};
  for (const { day } of week) hours[day] = calendar.intervals.filter((interval) => interval.day === day).sort((a, b) => a.start - b.start).map((interval) => ({ start: clock(interval.start), end: clock(interval.end) }));
  return { name: calendar.name, teamId: calendar.teamId, timeZone: calendar.timeZone, hours, holidays: calendar.holidays };
}

/** A day's next hours start where its last ones end (two hours, at most until midnight); none after midnight. */
function nextSlot(slots: Slot[]): Slot | null {
  const last = slots.at(-1);
  if (!last) return { start: '09:00', end: '17:00' };
  const start = minutesOf(last.end, true);
  return start >= 1440 ? null : { start: clock(start), end: clock(Math.min(start + 120, 1440)) };
}

/** The intervals in the order the form lists them, so the server's `intervals.N` errors land on the right row. */
function intervalsOf(form: Form): Array<Interval & { key: string }> {
  return week.flatMap(({ day }) => form.hours[day]!.map((slot, index) => ({ key: `${day}-${index}`, day, start: minutesOf(slot.start, false), end: minutesOf(slot.end, true) })));
}

/** "Mon–Fri 09:00–17:00 · Sat 10:00–14:00": consecutive days with the same hours read as one range. */
export function weekSummary(intervals: Interval[]): string {
  const hoursOf = (day: number) => intervals.filter((interval) => interval.day === day).sort((a, b) => a.start - b.start).map((interval) => `${clock(interval.start)}–${interval.end === 1440 ? '24:00' : clock(interval.end)}`).join(', ');
  const groups: Array<{ first: string; last: string; hours: string }> = [];
  for (const { day, name } of week) {
    const hours = hoursOf(day);
    const previous = groups.at(-1);
    if (previous && previous.hours === hours) previous.last = name.slice(0, 3);
    else groups.push({ first: name.slice(0, 3), last: name.slice(0, 3), hours });
  }
  const open = groups.filter((group) => group.hours);
  return open.length ? open.map((group) => `${group.first === group.last ? group.first : `${group.first}–${group.last}`} ${group.hours}`).join(' · ') : 'Closed every day';
}

const fields = ['name', 'teamId', 'timeZone', 'intervals', 'holidays'];

/** Business-hours calendars: the workspace's, and any team's own; SLA time is counted only inside them. */
export function BusinessHoursPage() {
  const { list, save, remove } = useCalendars();
  const teams = useTeams();
  const [editing, setEditing] = useState<string | null>(null);
  const [form, setForm] = useState<Form>(emptyForm);
  const [holiday, setHoliday] = useState('');
  const teamName = (id: string | null) => (id ? teams.data?.find((team) => team.id === id)?.name ?? 'A team' : 'Whole workspace');
  const intervals = intervalsOf(form);
  const error = save.error;

  const setSlots = (day: number, slots: Slot[]) => setForm({ ...form, hours: { ...form.hours, [day]: slots } });
  const reset = () => {
    setEditing(null);
    setForm(emptyForm());
    save.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: Partial<CalendarBody> = { name: form.name, timeZone: form.timeZone, intervals: intervals.map(({ day, start, end }) => ({ day, start, end })), holidays: form.holidays };
    // A calendar's team is chosen when it is created; the API does not move calendars between teams.
    save.mutate({ id: editing, body: editing ? body : { ...body, teamId: form.teamId } }, { onSuccess: reset });
  };
  const addHoliday = () => {
    if (holiday && !form.holidays.includes(holiday)) setForm({ ...form, holidays: [...form.holidays, holiday].sort() });
    setHoliday('');
  };

  return (
    <Stack>
      <Title order={2} size="h3">Business hours</Title>
      <Text size="sm" c="dimmed">SLA targets count only the time inside these hours. A team's own calendar applies to its tickets; every other ticket uses the workspace's.</Text>
      <ErrorText error={list.error} />
      {(list.data ?? []).map((calendar) => (
        <Paper withBorder p="sm" key={calendar.id} data-testid="calendar">
          <Group justify="space-between" align="flex-start">
            <div>
              <Group gap="xs">
                <Text fw={600}>{calendar.name}</Text>
                <Badge variant="light" color={calendar.teamId ? 'grape' : 'blue'}>{teamName(calendar.teamId)}</Badge>
              </Group>
              <Text size="sm">{weekSummary(calendar.intervals)}</Text>
              <Text size="sm" c="dimmed">{calendar.timeZone}{calendar.holidays.length ? ` · holidays: ${calendar.holidays.join(', ')}` : ' · no holidays'}</Text>
            </div>
            <Group gap="xs">
              <Button size="compact-sm" variant="subtle" onClick={() => { setEditing(calendar.id); setForm(formOf(calendar)); save.reset(); }}>Edit</Button>
              <Button size="compact-sm" variant="subtle" color="red" onClick={() => remove.mutate(calendar.id)}>Delete</Button>
            </Group>
          </Group>
          {remove.variables === calendar.id ? <ErrorText error={remove.error} inline /> : null}
        </Paper>
      ))}
      {list.isSuccess && list.data.length === 0 ? <Text c="dimmed">No calendar yet: SLA time runs around the clock until you add one.</Text> : null}

      <Paper withBorder p="md">
        <form onSubmit={submit} noValidate aria-label={editing ? 'Edit calendar' : 'New calendar'}>
          <Stack gap="sm">
            <Title order={3} size="h5">{editing ? 'Edit calendar' : 'New calendar'}</Title>
            <Group align="flex-start" grow>
              <TextInput label="Name" placeholder="Office hours" value={form.name} onChange={(event) => setForm({ ...form, name: event.currentTarget.value })} error={errorAt(error, 'name')} />
              <Select
                label="Applies to"
                data={[{ value: '', label: 'Whole workspace' }, ...(teams.data ?? []).map((team) => ({ value: team.id, label: `Team: ${team.name}` }))]}
                value={form.teamId ?? ''}
                onChange={(value) => setForm({ ...form, teamId: value || null })}
                disabled={editing !== null}
                allowDeselect={false}
                error={errorAt(error, 'teamId')}
              />
              <Select label="Time zone" searchable data={zones} value={form.timeZone} onChange={(value) => setForm({ ...form, timeZone: value ?? form.timeZone })} allowDeselect={false} error={errorAt(error, 'timeZone')} limit={50} />
            </Group>

            <div>
              <Text fw={500} size="sm">Weekly hours</Text>
              <Text size="xs" c="dimmed">Hours that end at midnight (00:00) run to the end of the day.</Text>
              <TableScroll label="Weekly hours">
                <Table miw={640} verticalSpacing={4} aria-label="Weekly hours">
                  <Table.Tbody>
                    {week.map(({ day, name }) => {
                      const slots = form.hours[day]!;
                      return (
                        <Table.Tr key={day} data-testid={`hours-${name}`}>
                          <Table.Th scope="row" w={120} style={{ verticalAlign: 'top', paddingTop: 10 }}>{name}</Table.Th>
                          <Table.Td>
                            <Stack gap={4}>
                              {slots.length === 0 ? <Text size="sm" c="dimmed" pt={6}>Closed</Text> : null}
                              {slots.map((slot, index) => {
                                const position = intervals.findIndex((interval) => interval.key === `${day}-${index}`);
                                const problem = errorAt(error, `intervals.${position}`);
                                return (
                                  <div key={index}>
                                    <Group gap="xs">
                                      <TextInput type="time" aria-label={`${name} opens at`} value={slot.start} onChange={(event) => setSlots(day, slots.map((other, at) => (at === index ? { ...other, start: event.currentTarget.value } : other)))} w={130} error={Boolean(problem)} />
                                      <Text size="sm">to</Text>
                                      <TextInput type="time" aria-label={`${name} closes at`} value={slot.end} onChange={(event) => setSlots(day, slots.map((other, at) => (at === index ? { ...other, end: event.currentTarget.value } : other)))} w={130} error={Boolean(problem)} />
                                      <ActionIcon variant="subtle" color="gray" aria-label={`Remove these ${name} hours`} onClick={() => setSlots(day, slots.filter((_, at) => at !== index))}>×</ActionIcon>
                                    </Group>
                                    {problem ? <Text size="sm" c="red.8" role="alert">{problem}</Text> : null}
                                  </div>
                                );
                              })}
                            </Stack>
                          </Table.Td>
                          <Table.Td w={110} style={{ verticalAlign: 'top' }}>
                            <Button size="compact-sm" mt={5} variant="subtle" disabled={nextSlot(slots) === null} onClick={() => setSlots(day, [...slots, nextSlot(slots)!])}>Add hours</Button>
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </TableScroll>
              {errorAt(error, 'intervals') && !intervals.some((_, position) => errorAt(error, `intervals.${position}`)) ? <Text size="sm" c="red.8" role="alert">{errorAt(error, 'intervals')}</Text> : null}
            </div>

            <div>
              <Group gap="xs" align="flex-end">
                <TextInput type="date" label="Holidays (closed all day)" value={holiday} onChange={(event) => setHoliday(event.currentTarget.value)} error={errorAt(error, 'holidays')} w={220} />
                <Button variant="light" onClick={addHoliday} disabled={!holiday}>Add holiday</Button>
              </Group>
              <Group gap={6} mt={6}>
                {form.holidays.map((date) => (
                  <Badge key={date} variant="outline" color="gray" rightSection={<ActionIcon size="xs" variant="transparent" color="gray" aria-label={`Remove holiday ${date}`} onClick={() => setForm({ ...form, holidays: form.holidays.filter((other) => other !== date) })}>×</ActionIcon>}>
                    {date}
                  </Badge>
                ))}
              </Group>
            </div>

            <ErrorText error={otherError(error, fields)} inline />
            <FormButtons noun="calendar" editing={Boolean(editing)} saving={save.isPending} onCancel={reset} />
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
