import { useEffect, useState } from 'react';
import { Alert, Button, Card, FileInput, Group, List, NumberInput, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, put } from '../../app/api';
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
      return put<Settings>('/api/v1/empowerment/settings', { ...rest, limits: { roles: limits.roles } });
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
