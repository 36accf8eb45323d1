import { useState, type FormEvent } from 'react';
import { Alert, Button, Checkbox, Code, CopyButton, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { del, get, post } from '../../app/api';
import { ErrorText, fieldError } from '../../ui/ErrorText';
import { dateTime } from '../../ui/format';
import { TableScroll } from '../../ui/TableScroll';

interface Token {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export default function TokensPage() {
  const client = useQueryClient();
  const tokens = useQuery({ queryKey: ['api-tokens'], queryFn: () => get<{ items: Token[] }>('/api/v1/api-tokens').then((page) => page.items) });
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['read']);
  const [error, setError] = useState<unknown>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [rowErrors, setRowErrors] = useState<Record<string, unknown>>({});
  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const created = await post<{ token: string }>('/api/v1/api-tokens', { name, scopes });
      setSecret(created.token);
      setName('');
      void client.invalidateQueries({ queryKey: ['api-tokens'] });
    } catch (caught) {
      setError(caught);
    }
  };
  const revoke = async (id: string) => {
    setRowErrors((current) => ({ ...current, [id]: null }));
    try {
      await del(`/api/v1/api-tokens/${id}`);
      void client.invalidateQueries({ queryKey: ['api-tokens'] });
    } catch (caught) {
      setRowErrors((current) => ({ ...current, [id]: caught }));
    }
  };
  return (
    <Stack>
      <Title order={2} size="h3">API tokens</Title>
      <Text size="sm" c="dimmed">A token acts as you. Use it as <Code>Authorization: Bearer …</Code>; the API reference is at <a href="/api/docs">/api/docs</a>.</Text>
      <form onSubmit={create} noValidate>
        <Group align="flex-end" gap="xs">
          <TextInput label="Token name" placeholder="Shop integration" value={name} onChange={(event) => setName(event.currentTarget.value)} error={fieldError(error, 'name')} />
          <Checkbox.Group label="Scopes" value={scopes} onChange={setScopes}>
            <Group gap="xs" mt={6} mb={8}>
              <Checkbox value="read" label="read" />
              <Checkbox value="write" label="write" />
              <Checkbox value="admin" label="admin" />
            </Group>
          </Checkbox.Group>
          <Button type="submit">Create token</Button>
        </Group>
        <ErrorText error={fieldError(error, 'name') ? null : error} inline />
      </form>
      {secret ? (
        <Alert color="yellow" variant="light" title="Copy the token now: it is shown only once">
          <Group gap="xs"><Code style={{ overflowWrap: 'anywhere' }} data-testid="new-token">{secret}</Code><CopyButton value={secret}>{({ copied, copy }) => <Button size="compact-xs" onClick={copy}>{copied ? 'Copied' : 'Copy'}</Button>}</CopyButton></Group>
        </Alert>
      ) : null}
      <ErrorText error={tokens.error} />
      <TableScroll label="API tokens">
        <Table miw={640}>
          <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>Starts with</Table.Th><Table.Th>Scopes</Table.Th><Table.Th>Last used</Table.Th><Table.Th /></Table.Tr></Table.Thead>
          <Table.Tbody>
            {(tokens.data ?? []).map((token) => (
              <Table.Tr key={token.id} style={token.revokedAt ? { opacity: 0.5 } : undefined}>
                <Table.Td>{token.name}</Table.Td>
                <Table.Td><Code>{token.prefix}…</Code></Table.Td>
                <Table.Td>{token.scopes.join(', ')}</Table.Td>
                <Table.Td>{token.lastUsedAt ? dateTime(token.lastUsedAt) : 'never'}</Table.Td>
                <Table.Td>
                  {token.revokedAt ? <Text size="sm">revoked</Text> : <Button size="compact-xs" variant="subtle" color="red" onClick={() => void revoke(token.id)}>Revoke</Button>}
                  <ErrorText error={rowErrors[token.id]} inline />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
      {tokens.data?.length === 0 ? <Text c="dimmed" size="sm">No API tokens yet. Create one above for a script or an integration; it acts as you, with the scopes you tick.</Text> : null}
    </Stack>
  );
}
