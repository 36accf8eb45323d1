import { useEffect, useState } from 'react';
import { ActionIcon, Alert, Button, Card, FileInput, Group, List, NumberInput, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, put } from '../../app/api';
import { useStaff } from '../../app/session';
import { ErrorText, fieldError } from '../../ui/ErrorText';

type Limit = { perRemedy: number | null; perMonth: number | null };
const roles = ['agent', 'manager', 'owner'] as const;

interface Settings {
  hourlyCost: number;
  bestCustomerShare: number;
  bestCustomerLimitFactor: number;
  limits: { roles: Record<(typeof roles)[number], Limit>; agents: Record<string, Partial<Limit>> };
  monthlyBudget: number | null;
  commitmentReminderMinutes: number;
  overpromiseLtvShare: number;
  pestThreshold: number;
}

interface ImportReport {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: Array<{ line: number; message: string }>;
}

/** An empty field means "no limit"; Mantine gives '' for an empty NumberInput. */
const orNull = (value: number | string | null) => (value === '' || value === null ? null : Number(value));

/** Limits per role, hourly cost, best-customer tier and thresholds, and the customer value import. */
export function EmpowermentSettingsPage() {
  return (
    <Stack gap="md" maw={860}>
      <Title order={3}>Empowerment</Title>
      <SettingsForm />
      <ValueImport />
    </Stack>
  );
}

function SettingsForm() {
  const client = useQueryClient();
  const stored = useQuery({ queryKey: ['empowerment-settings'], queryFn: () => get<Settings>('/api/v1/empowerment/settings') });
  const [draft, setDraft] = useState<Settings | null>(null);
  useEffect(() => {
    if (stored.data) setDraft(stored.data);
  }, [stored.data]);
  const save = useMutation({
    mutationFn: (settings: Settings) => {
      const { limits, ...rest } = settings;
      // Overrides are sent whole (both fields), and removed ones as null, so the stored map ends up equal to the draft.
      const removed = Object.keys(stored.data?.limits.agents ?? {}).filter((staffId) => !(staffId in limits.agents));
      const agents = { ...Object.fromEntries(removed.map((staffId) => [staffId, null])), ...limits.agents };
      return put<Settings>('/api/v1/empowerment/settings', { ...rest, limits: { roles: limits.roles, agents } });
    },
    onSuccess: (saved) => client.setQueryData(['empowerment-settings'], saved),
  });
  if (!draft) return <ErrorText error={stored.error} />;
  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => setDraft({ ...draft, [key]: value });
  const setLimit = (role: (typeof roles)[number], key: keyof Limit, value: number | string) =>
    setDraft({ ...draft, limits: { ...draft.limits, roles: { ...draft.limits.roles, [role]: { ...draft.limits.roles[role], [key]: orNull(value) } } } });
  return (
    <Card withBorder component="form" onSubmit={(event: React.FormEvent) => { event.preventDefault(); save.mutate(draft); }} aria-label="Empowerment settings">
      <Text fw={600}>Limits an agent may grant alone</Text>
      <Text size="xs" c="dimmed">Above them a remedy becomes an exception request for a manager. Empty means no limit.</Text>
      <Table mt="xs" aria-label="Limits per role">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Role</Table.Th>
            <Table.Th>Per remedy</Table.Th>
            <Table.Th>Per month</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {roles.map((role) => (
            <Table.Tr key={role}>
              <Table.Td tt="capitalize">{role}</Table.Td>
              <Table.Td><NumberInput aria-label={`${role} limit per remedy`} min={0} prefix="$" thousandSeparator="," value={draft.limits.roles[role].perRemedy ?? ''} onChange={(value) => setLimit(role, 'perRemedy', value)} placeholder="no limit" /></Table.Td>
              <Table.Td><NumberInput aria-label={`${role} limit per month`} min={0} prefix="$" thousandSeparator="," value={draft.limits.roles[role].perMonth ?? ''} onChange={(value) => setLimit(role, 'perMonth', value)} placeholder="no limit" /></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <AgentOverrides draft={draft} onChange={(agents) => setDraft({ ...draft, limits: { ...draft.limits, agents } })} />
      <SimpleGrid cols={{ base: 1, sm: 2 }} mt="md">
        <NumberInput label="Monthly remedy budget (whole workspace)" min={0} prefix="$" thousandSeparator="," placeholder="no budget" value={draft.monthlyBudget ?? ''} onChange={(value) => set('monthlyBudget', orNull(value))} error={fieldError(save.error, 'body.monthlyBudget')} />
        <NumberInput label="Cost of one agent hour (cost to serve)" min={0} prefix="$" thousandSeparator="," value={draft.hourlyCost} onChange={(value) => set('hourlyCost', Number(value) || 0)} error={fieldError(save.error, 'body.hourlyCost')} />
        <NumberInput label="Best customers: top share by lifetime value" min={0} max={100} suffix="%" value={Math.round(draft.bestCustomerShare * 1000) / 10} onChange={(value) => set('bestCustomerShare', (Number(value) || 0) / 100)} />
        <NumberInput label="Best customers: limits multiplied by" min={1} max={100} decimalScale={2} value={draft.bestCustomerLimitFactor} onChange={(value) => set('bestCustomerLimitFactor', Number(value) || 1)} error={fieldError(save.error, 'body.bestCustomerLimitFactor')} />
        <NumberInput label="Overpromise: remedy above this share of lifetime value" min={0} suffix="%" value={Math.round(draft.overpromiseLtvShare * 1000) / 10} onChange={(value) => set('overpromiseLtvShare', (Number(value) || 0) / 100)} />
        <NumberInput label="Remind agents before a promise is due (minutes)" min={1} max={10080} value={draft.commitmentReminderMinutes} onChange={(value) => set('commitmentReminderMinutes', Number(value) || 1)} />
        <NumberInput label="List customers for review from pest score" min={0} max={100} value={draft.pestThreshold} onChange={(value) => set('pestThreshold', Number(value) || 0)} />
      </SimpleGrid>
      <Group mt="md">
        <Button type="submit" loading={save.isPending}>Save</Button>
        {save.isSuccess && !save.isPending ? <Text size="sm" c="green.8" role="status">Saved.</Text> : null}
      </Group>
      <ErrorText error={save.error} inline />
    </Card>
  );
}

/** Limits for one person that replace their role's: a trusted senior agent, a trainee. */
function AgentOverrides({ draft, onChange }: { draft: Settings; onChange(agents: Settings['limits']['agents']): void }) {
  const staff = useStaff();
  const agents = draft.limits.agents;
  const nameOf = (staffId: string) => staff.data?.find((member) => member.id === staffId)?.name ?? 'Former staff';
  const candidates = (staff.data ?? []).filter((member) => member.isActive && !(member.id in agents));
  const add = (staffId: string | null) => {
    const member = staff.data?.find((candidate) => candidate.id === staffId);
    if (member) onChange({ ...agents, [member.id]: { ...draft.limits.roles[member.role as (typeof roles)[number]] } });
  };
  // A field the override leaves out follows the role; shown and saved as the role's value once edited.
  const effective = (staffId: string): Limit => {
    const role = staff.data?.find((member) => member.id === staffId)?.role as (typeof roles)[number] | undefined;
    return { ...(role ? draft.limits.roles[role] : { perRemedy: null, perMonth: null }), ...agents[staffId] };
  };
  const setField = (staffId: string, key: keyof Limit, value: number | string) => onChange({ ...agents, [staffId]: { ...effective(staffId), [key]: orNull(value) } });
  const remove = (staffId: string) => onChange(Object.fromEntries(Object.entries(agents).filter(([id]) => id !== staffId)));
  return (
    <>
      <Text fw={600} mt="md">Limits for one person</Text>
      <Text size="xs" c="dimmed">They replace the role&apos;s limits for that person. Empty means no limit.</Text>
      {Object.keys(agents).length ? (
        <Table mt="xs" aria-label="Limits per person">
          <Table.Tbody>
            {Object.keys(agents).map((staffId) => ({ staffId, limit: effective(staffId) })).map(({ staffId, limit }) => (
              <Table.Tr key={staffId}>
                <Table.Td>{nameOf(staffId)}</Table.Td>
                <Table.Td><NumberInput aria-label={`${nameOf(staffId)} limit per remedy`} min={0} prefix="$" thousandSeparator="," placeholder="no limit" value={limit.perRemedy ?? ''} onChange={(value) => setField(staffId, 'perRemedy', value)} /></Table.Td>
                <Table.Td><NumberInput aria-label={`${nameOf(staffId)} limit per month`} min={0} prefix="$" thousandSeparator="," placeholder="no limit" value={limit.perMonth ?? ''} onChange={(value) => setField(staffId, 'perMonth', value)} /></Table.Td>
                <Table.Td>
                  <ActionIcon variant="subtle" color="red" aria-label={`Remove ${nameOf(staffId)}'s limits`} onClick={() => remove(staffId)}>×</ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      <Select mt="xs" w={280} placeholder="Set limits for…" aria-label="Set limits for a person" data={candidates.map((member) => ({ value: member.id, label: member.name }))} value={null} onChange={add} searchable nothingFoundMessage="Nobody else" />
    </>
  );
}

/** Lifetime values from a spreadsheet: columns email, name, revenue to date, orders, expected future value. */
function ValueImport() {
  const [file, setFile] = useState<File | null>(null);
  const client = useQueryClient();
  const run = useMutation({
    mutationFn: async (chosen: File) => post<ImportReport>('/api/v1/customers/import', { csv: await chosen.text() }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['customer'] }),
  });
  const report = run.data;
  return (
    <Card withBorder aria-label="Import customer values">
      <Text fw={600}>Import customer values (CSV)</Text>
      <Text size="xs" c="dimmed">
        Columns: email, name, revenue to date, orders, expected future value. A new email creates the customer; importing the same file again changes nothing. Rows with a problem are listed by line and skipped.
      </Text>
      <Group mt="xs" align="flex-end">
        <FileInput label="CSV file" accept=".csv,text/csv" value={file} onChange={setFile} placeholder="Choose a file" w={320} clearable />
        <Button disabled={!file} loading={run.isPending} onClick={() => file && run.mutate(file)}>Import</Button>
      </Group>
      <ErrorText error={run.error} inline />
      {report ? (
        <Alert mt="sm" color={report.errors.length ? 'yellow' : 'green'} variant="light" role="status" title={`${report.rows} rows: ${report.created} new customers, ${report.updated} updated, ${report.unchanged} unchanged`}>
          {report.errors.length ? (
            <List size="sm">
              {report.errors.slice(0, 50).map((error) => <List.Item key={`${error.line}-${error.message}`}>Line {error.line}: {error.message}</List.Item>)}
              {report.errors.length > 50 ? <List.Item>…and {report.errors.length - 50} more</List.Item> : null}
            </List>
          ) : (
            <Text size="sm">Every row was read.</Text>
          )}
        </Alert>
      ) : null}
    </Card>
  );
}
