import { useState, type FormEvent } from 'react';
import { ActionIcon, Anchor, Button, Group, List, MultiSelect, NumberInput, Paper, Select, Stack, Switch, Table, TagsInput, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { get, patch } from '../../app/api';
import type { Macro } from '../../app/types';
import { useStaff, useStatuses, useTeams } from '../../app/session';
import { ErrorText } from '../../ui/ErrorText';
import { FormButtons, MoveButtons } from './SettingsControls';
import { dateTime } from '../../ui/format';
import { errorAt, otherError, reorder, usePlaybooks, useRules, useRuleTest, useTicketSummaries, type Rule, type RuleAction, type RuleBody, type RuleConditions, type RuleTestResult } from './settings.api';
import { useTicketTypes } from './ticketTypes.api';
import { TableScroll } from '../../ui/TableScroll';

const triggers = [
  { value: 'ticket.created', label: 'a ticket is created' },
  { value: 'message.created', label: 'a message is added' },
  { value: 'ticket.status_changed', label: 'the status changes' },
  { value: 'ticket.priority_changed', label: 'the priority changes' },
  { value: 'ticket.tags_changed', label: 'the tags change' },
  { value: 'ticket.assigned', label: 'the ticket is assigned' },
  { value: 'ticket.team_changed', label: 'the team changes' },
  { value: 'ticket.type_changed', label: 'the type changes' },
  { value: 'sla.warning', label: 'an SLA target is about to be missed' },
  { value: 'sla.breached', label: 'an SLA target is missed' },
  { value: 'time', label: 'a ticket has not changed for a while' },
];
const triggerLabel = (trigger: string) => triggers.find((item) => item.value === trigger)?.label ?? trigger;

const actionTypes = [
  { value: 'assign', label: 'Assign to' },
  { value: 'set_priority', label: 'Set priority' },
  { value: 'set_status', label: 'Set status' },
  { value: 'set_team', label: 'Set team' },
  { value: 'add_tag', label: 'Add tag' },
  { value: 'set_type', label: 'Set type' },
  { value: 'add_note', label: 'Add internal note' },
  { value: 'attach_playbook', label: 'Attach playbook' },
  { value: 'notify_staff', label: 'Notify staff' },
  { value: 'apply_macro', label: 'Apply macro' },
  { value: 'send_email', label: 'Email the customer' },
];

const priorities = ['low', 'normal', 'high', 'urgent'];
const categories = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'].map((value) => ({ value, label: value.replace('_', ' ') }));

function blankAction(type: RuleAction['type']): RuleAction {
  switch (type) {
    case 'assign': return { type, staffId: null };
    case 'set_priority': return { type, priority: 'high' };
    case 'set_status': return { type, status: 'open' };
    case 'set_team': return { type, teamId: null };
    case 'add_tag': return { type, tag: '' };
    case 'set_type': return { type, typeKey: null };
    case 'add_note': return { type, text: '' };
    case 'attach_playbook': return { type, playbookId: '' };
    case 'notify_staff': return { type, staffIds: [], message: '' };
    case 'apply_macro': return { type, macroId: '' };
    case 'send_email': return { type, text: '' };
  }
}

const emptyRule: RuleBody = { name: '', trigger: 'ticket.created', conditions: {}, actions: [blankAction('set_priority')], isActive: true };

/** Only the conditions that say something: an empty list or blank text would match nothing or everything by accident. */
function cleanConditions(conditions: RuleConditions, trigger: string): RuleConditions {
  const clean: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(conditions)) {
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    if (key === 'hoursSinceUpdate' && trigger !== 'time') continue;
    if (key === 'messageKind' && trigger !== 'message.created') continue;
    clean[key] = value;
  }
  return clean as RuleConditions;
}

/** One line a manager can read back: "priority urgent, tagged vip" (the hours of a time-based rule go with its trigger). */
function describeConditions(conditions: RuleConditions): string {
  const parts = [
    conditions.priorities?.length ? `priority ${conditions.priorities.join(' or ')}` : null,
    conditions.statusCategories?.length ? `status ${conditions.statusCategories.join(' or ').replace(/_/g, ' ')}` : null,
    conditions.channels?.length ? `channel ${conditions.channels.join(' or ')}` : null,
    conditions.tiers?.length ? `tier ${conditions.tiers.join(' or ')}` : null,
    conditions.types?.length ? `type ${conditions.types.join(' or ')}` : null,
    conditions.tagsAny?.length ? `tagged ${conditions.tagsAny.join(' or ')}` : null,
    conditions.tagsNone?.length ? `not tagged ${conditions.tagsNone.join(' or ')}` : null,
    conditions.subjectContains ? `subject contains “${conditions.subjectContains}”` : null,
    conditions.assigned === true ? 'assigned' : conditions.assigned === false ? 'unassigned' : null,
    conditions.messageKind ? `the message is ${conditions.messageKind}` : null,
  ].filter(Boolean);
  return parts.join(', ');
}

function useNames() {
  const staff = useStaff();
  const teams = useTeams();
  const { list: playbooks } = usePlaybooks();
  const types = useTicketTypes();
  const macros = useQuery({ queryKey: ['macros'], queryFn: () => get<{ items: Macro[] }>('/api/v1/macros').then((page) => page.items) });
  return {
    macros: (macros.data ?? []).map((macro) => ({ value: macro.id, label: macro.name })),
    staff: (staff.data ?? []).filter((member) => member.isActive).map((member) => ({ value: member.id, label: member.name })),
    teams: (teams.data ?? []).map((team) => ({ value: team.id, label: team.name })),
    playbooks: (playbooks.data ?? []).map((playbook) => ({ value: playbook.id, label: playbook.name })),
    types: (types.data ?? []).map((type) => ({ value: type.key, label: type.label })),
  };
}

function describeAction(action: RuleAction, names: ReturnType<typeof useNames>): string {
  const name = (list: Array<{ value: string; label: string }>, id: string | null) => list.find((item) => item.value === id)?.label ?? 'someone';
  switch (action.type) {
    case 'assign': return action.staffId ? `assign to ${name(names.staff, action.staffId)}` : 'unassign';
    case 'set_priority': return `set priority ${action.priority}`;
    case 'set_status': return `set status ${action.status}`;
    case 'set_team': return action.teamId ? `set team ${name(names.teams, action.teamId)}` : 'remove the team';
    case 'add_tag': return `add tag ${action.tag}`;
    case 'set_type': return action.typeKey ? `set type ${name(names.types, action.typeKey)}` : 'remove the type';
    case 'add_note': return 'add a note';
    case 'attach_playbook': return `attach ${name(names.playbooks, action.playbookId)}`;
    case 'notify_staff': return 'notify staff';
    case 'apply_macro': return `apply ${name(names.macros, action.macroId)}`;
    case 'send_email': return 'email the customer';
  }
}

/** The tickets a test matched, with number and subject; every one links to its ticket. */
function TestResult({ title, result }: { title: string; result: RuleTestResult }) {
  const shown = result.matches.slice(0, 20);
  const tickets = useTicketSummaries(shown.map((match) => match.ticketId));
  return (
    <Paper withBorder p="sm" bg="var(--mantine-color-default-hover)" data-testid="rule-test-result">
      <Text fw={600} size="sm">{title}</Text>
      <Text size="sm">
        {result.matches.length === 0 ? `No ticket since ${dateTime(result.since)} would have matched.` : `${result.matches.length} ${result.matches.length === 1 ? 'match' : 'matches'} since ${dateTime(result.since)}${result.matches.length > shown.length ? ` (the first ${shown.length} below)` : ''}:`}
      </Text>
      {shown.length ? (
        <List size="sm" mt={4}>
          {shown.map((match, index) => {
            const ticket = tickets[index]?.data;
            return (
              <List.Item key={`${match.ticketId}-${match.eventId ?? index}`}>
                <Anchor component={Link} to={`/tickets/${match.ticketId}`}>{ticket ? `#${ticket.number} ${ticket.subject}` : 'Ticket'}</Anchor>
                <Text span size="xs" c="dimmed"> · {dateTime(match.at)}</Text>
              </List.Item>
            );
          })}
        </List>
      ) : null}
    </Paper>
  );
}

function ActionFields({ action, index, onChange, error }: { action: RuleAction; index: number; onChange(action: RuleAction): void; error: unknown }) {
  const names = useNames();
  const statuses = useStatuses();
  const at = (field: string) => errorAt(error, `actions.${index}.${field}`);
  const label = `Action ${index + 1}`;
  switch (action.type) {
    case 'assign':
      return <Select aria-label={`${label}: agent`} placeholder="Nobody (unassign)" clearable data={names.staff} value={action.staffId} onChange={(staffId) => onChange({ ...action, staffId })} error={at('staffId')} />;
    case 'set_priority':
      return <Select aria-label={`${label}: priority`} data={priorities} value={action.priority} onChange={(priority) => onChange({ ...action, priority: priority ?? 'normal' })} allowDeselect={false} error={at('priority')} />;
    case 'set_status':
      return <Select aria-label={`${label}: status`} data={(statuses.data ?? []).map((status) => ({ value: status.key, label: status.label }))} value={action.status} onChange={(status) => onChange({ ...action, status: status ?? 'open' })} allowDeselect={false} error={at('status')} />;
    case 'set_team':
      return <Select aria-label={`${label}: team`} placeholder="No team" clearable data={names.teams} value={action.teamId} onChange={(teamId) => onChange({ ...action, teamId })} error={at('teamId')} />;
    case 'add_tag':
      return <TextInput aria-label={`${label}: tag`} placeholder="vip" value={action.tag} onChange={(event) => onChange({ ...action, tag: event.currentTarget.value })} error={at('tag')} />;
    case 'set_type':
      return <Select aria-label={`${label}: type`} placeholder="No type" clearable data={names.types} value={action.typeKey} onChange={(typeKey) => onChange({ ...action, typeKey })} error={at('typeKey')} />;
    case 'add_note':
      return <Textarea aria-label={`${label}: note`} autosize minRows={1} value={action.text} onChange={(event) => onChange({ ...action, text: event.currentTarget.value })} error={at('text')} />;
    case 'attach_playbook':
      return <Select aria-label={`${label}: playbook`} placeholder={names.playbooks.length ? 'Choose a playbook' : 'Create a playbook first'} data={names.playbooks} value={action.playbookId || null} onChange={(playbookId) => onChange({ ...action, playbookId: playbookId ?? '' })} error={at('playbookId')} />;
    case 'notify_staff':
      return (
        <Stack gap={4}>
          <MultiSelect aria-label={`${label}: who`} placeholder="Who (empty: the assignee)" data={names.staff} value={action.staffIds} onChange={(staffIds) => onChange({ ...action, staffIds })} error={at('staffIds')} />
          <TextInput aria-label={`${label}: message`} placeholder="Message" value={action.message} onChange={(event) => onChange({ ...action, message: event.currentTarget.value })} error={at('message')} />
        </Stack>
      );
    case 'apply_macro':
      return <Select aria-label={`${label}: macro`} placeholder={names.macros.length ? 'Choose a macro' : 'Create a macro first'} data={names.macros} value={action.macroId || null} onChange={(macroId) => onChange({ ...action, macroId: macroId ?? '' })} error={at('macroId')} />;
    case 'send_email':
      return <Textarea aria-label={`${label}: email text`} placeholder="Hi {{customer.first_name}}, …" autosize minRows={2} value={action.text} onChange={(event) => onChange({ ...action, text: event.currentTarget.value })} error={at('text')} />;
  }
}

const ruleFields = ['name', 'trigger', 'conditions', 'actions', 'isActive', 'position'];

function RuleForm({ editing, initial, onDone }: { editing: string | null; initial: RuleBody; onDone(): void }) {
  const { save } = useRules();
  const test = useRuleTest();
  const [rule, setRule] = useState<RuleBody>(initial);
  const names = useNames();
  const error = save.error;
  const conditions = rule.conditions;
  const setConditions = (changes: Partial<RuleConditions>) => setRule({ ...rule, conditions: { ...conditions, ...changes } });
  const body = (): RuleBody => ({ ...rule, conditions: cleanConditions(rule.conditions, rule.trigger) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The trigger is fixed once a rule exists (the API does not change it): edits send the rest.
    const { trigger: _trigger, ...changes } = body();
    save.mutate({ id: editing, body: editing ? changes : body() }, { onSuccess: onDone });
  };
  const at = (field: string) => errorAt(error, `conditions.${field}`);
  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate aria-label={editing ? 'Edit rule' : 'New rule'}>
        <Stack gap="sm">
          <Title order={3} size="h5">{editing ? 'Edit rule' : 'New rule'}</Title>
          <TextInput label="Name" placeholder="Urgent for VIPs" value={rule.name} onChange={(event) => setRule({ ...rule, name: event.currentTarget.value })} error={errorAt(error, 'name')} />
          <Select label="When" data={triggers} value={rule.trigger} onChange={(trigger) => setRule({ ...rule, trigger: trigger ?? rule.trigger })} allowDeselect={false} disabled={editing !== null} error={errorAt(error, 'trigger')} />

          <Text fw={500} size="sm">And (leave empty to match every ticket)</Text>
          <Group grow align="flex-start">
            <MultiSelect label="Priority is" data={priorities} value={conditions.priorities ?? []} onChange={(value) => setConditions({ priorities: value })} error={at('priorities')} />
            <MultiSelect label="Status is" data={categories} value={conditions.statusCategories ?? []} onChange={(value) => setConditions({ statusCategories: value })} error={at('statusCategories')} />
            <Select label="Assignee" data={[{ value: 'any', label: 'Anyone or nobody' }, { value: 'yes', label: 'Assigned' }, { value: 'no', label: 'Unassigned' }]} value={conditions.assigned === undefined ? 'any' : conditions.assigned ? 'yes' : 'no'} onChange={(value) => setConditions({ assigned: value === 'yes' ? true : value === 'no' ? false : undefined })} allowDeselect={false} error={at('assigned')} />
          </Group>
          <Group grow align="flex-start">
            <TagsInput label="Tagged with any of" value={conditions.tagsAny ?? []} onChange={(value) => setConditions({ tagsAny: value })} error={at('tagsAny')} />
            <TagsInput label="Tagged with none of" value={conditions.tagsNone ?? []} onChange={(value) => setConditions({ tagsNone: value })} error={at('tagsNone')} />
          </Group>
          <Group grow align="flex-start">
            <TagsInput label="Channel is" placeholder="email, chat…" value={conditions.channels ?? []} onChange={(value) => setConditions({ channels: value })} error={at('channels')} />
            <TagsInput label="Customer tier is" value={conditions.tiers ?? []} onChange={(value) => setConditions({ tiers: value })} error={at('tiers')} />
            <MultiSelect label="Type is" data={names.types} value={conditions.types ?? []} onChange={(value) => setConditions({ types: value })} error={at('types')} />
            <TextInput label="Subject contains" value={conditions.subjectContains ?? ''} onChange={(event) => setConditions({ subjectContains: event.currentTarget.value })} error={at('subjectContains')} />
          </Group>
          {rule.trigger === 'message.created' ? (
            <Select label="The message is" w={260} data={[{ value: 'any', label: 'Any message' }, { value: 'inbound', label: 'From the customer' }, { value: 'outbound', label: 'A reply' }, { value: 'note', label: 'An internal note' }]} value={conditions.messageKind ?? 'any'} onChange={(value) => setConditions({ messageKind: value === 'any' || !value ? undefined : (value as RuleConditions['messageKind']) })} allowDeselect={false} error={at('messageKind')} />
          ) : null}
          {rule.trigger === 'time' ? (
            <NumberInput label="Hours without any change" w={260} min={0.01} value={conditions.hoursSinceUpdate ?? ''} onChange={(value) => setConditions({ hoursSinceUpdate: typeof value === 'number' ? value : undefined })} error={at('hoursSinceUpdate') && conditions.hoursSinceUpdate === undefined ? 'Say after how many hours without a change this rule runs.' : at('hoursSinceUpdate')} />
          ) : null}

          <Text fw={500} size="sm">Then</Text>
          {rule.actions.map((action, index) => (
            <Group key={index} align="flex-start" gap="xs" wrap="nowrap" data-testid="rule-action">
              <Select aria-label={`Action ${index + 1}`} data={actionTypes} value={action.type} onChange={(type) => setRule({ ...rule, actions: rule.actions.map((other, at) => (at === index && type ? blankAction(type as RuleAction['type']) : other)) })} allowDeselect={false} w={190} error={errorAt(error, `actions.${index}.type`)} />
              <div style={{ flex: 1 }}>
                <ActionFields action={action} index={index} error={error} onChange={(next) => setRule({ ...rule, actions: rule.actions.map((other, at) => (at === index ? next : other)) })} />
              </div>
              <ActionIcon variant="subtle" color="gray" mt={4} aria-label={`Remove action ${index + 1}`} disabled={rule.actions.length === 1} onClick={() => setRule({ ...rule, actions: rule.actions.filter((_, at) => at !== index) })}>×</ActionIcon>
            </Group>
          ))}
          {errorAt(error, 'actions') && !rule.actions.some((_, index) => errorAt(error, `actions.${index}`)) ? <Text size="sm" c="red.8" role="alert">{errorAt(error, 'actions')}</Text> : null}
          <Group><Button variant="light" size="compact-sm" onClick={() => setRule({ ...rule, actions: [...rule.actions, blankAction('add_tag')] })} disabled={rule.actions.length >= 20}>Add action</Button></Group>

          <Switch label="Enabled" checked={rule.isActive} onChange={(event) => setRule({ ...rule, isActive: event.currentTarget.checked })} />
          <ErrorText error={otherError(error, ruleFields)} inline />
          <FormButtons noun="rule" editing={Boolean(editing)} saving={save.isPending} onCancel={onDone}>
            <Button variant="default" loading={test.isPending} onClick={() => test.mutate({ body: body() })}>Test against last week</Button>
          </FormButtons>
          <ErrorText error={test.error} inline />
          {test.data ? <TestResult title="This rule would have matched" result={test.data} /> : null}
        </Stack>
      </form>
    </Paper>
  );
}

/** Automations: "when EVENT and CONDITIONS then ACTIONS", run in this order; each can be tested on last week's tickets. */
export function AutomationsPage() {
  const { list, remove, arrange } = useRules();
  const names = useNames();
  const test = useRuleTest();
  const [tested, setTested] = useState<Rule | null>(null);
  const [editing, setEditing] = useState<{ id: string | null; rule: RuleBody; key: number }>({ id: null, rule: emptyRule, key: 0 });
  const rules = list.data ?? [];
  const move = (from: number, to: number) => arrange.mutate(() => reorder(rules, from, to, '/api/v1/automations'));
  const done = () => setEditing({ id: null, rule: emptyRule, key: editing.key + 1 });

  return (
    <Stack>
      <Title order={2} size="h3">Automations</Title>
      <Text size="sm" c="dimmed">Rules run top to bottom when their event happens. Every action they take is recorded on the ticket's timeline with the rule that caused it; a rule that would set off a loop is stopped and reported.</Text>
      <ErrorText error={list.error ?? arrange.error} />
      {rules.length ? (
        <TableScroll label="Automation rules">
          <Table miw={640} aria-label="Automation rules" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr><Table.Th>Order</Table.Th><Table.Th>Rule</Table.Th><Table.Th>Enabled</Table.Th><Table.Th /></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rules.map((rule, index) => (
                <Table.Tr key={rule.id} data-testid="rule-row">
                  <Table.Td w={90}>
                    <MoveButtons name={rule.name} index={index} count={rules.length} onMove={move} />
                  </Table.Td>
                  <Table.Td>
                    <Text fw={600} size="sm">{rule.name}</Text>
                    <Text size="sm">
                      When {rule.trigger === 'time' ? `a ticket has gone ${rule.conditions.hoursSinceUpdate ?? '?'} h without a change` : triggerLabel(rule.trigger)}
                      {describeConditions(rule.conditions) ? ` and ${describeConditions(rule.conditions)}` : ''}, then {rule.actions.map((action) => describeAction(action, names)).join('; ')}.
                    </Text>
                  </Table.Td>
                  <Table.Td w={90}>
                    <Switch aria-label={`${rule.name} enabled`} checked={rule.isActive} onChange={(event) => { const isActive = event.currentTarget.checked; arrange.mutate(() => patch(`/api/v1/automations/${rule.id}`, { isActive })); }} />
                  </Table.Td>
                  <Table.Td w={200}>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      <Button size="compact-sm" variant="subtle" onClick={() => { setTested(rule); test.mutate({ id: rule.id }); }}>Test</Button>
                      <Button size="compact-sm" variant="subtle" onClick={() => setEditing({ id: rule.id, rule: { name: rule.name, trigger: rule.trigger, conditions: rule.conditions, actions: rule.actions, isActive: rule.isActive }, key: editing.key + 1 })}>Edit</Button>
                      <Button size="compact-sm" variant="subtle" color="red" onClick={() => remove.mutate(rule.id)}>Delete</Button>
                    </Group>
                    {remove.variables === rule.id ? <ErrorText error={remove.error} inline /> : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableScroll>
      ) : list.isSuccess ? (
        <Text c="dimmed">No rules yet.</Text>
      ) : null}
      <ErrorText error={test.error} />
      {tested && test.data && !test.isPending ? <TestResult title={`“${tested.name}” would have matched`} result={test.data} /> : null}
      <RuleForm key={editing.key} editing={editing.id} initial={editing.rule} onDone={done} />
    </Stack>
  );
}
