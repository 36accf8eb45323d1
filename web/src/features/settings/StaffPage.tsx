import { useState, type FormEvent } from 'react';
import { Badge, Button, Code, CopyButton, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { del, get, patch, post } from '../../app/api';
import { useSession, useStaff } from '../../app/session';
import type { Role } from '../../app/types';
import { ErrorText, fieldError } from '../../ui/ErrorText';
import { dateTime } from '../../ui/format';
import { TableScroll } from '../../ui/TableScroll';

interface Invitation {
  id: string;
  email: string;
  role: Role;
  acceptedAt: string | null;
  expiresAt: string;
}

export default function StaffPage() {
  const staff = useStaff();
  const { data: session } = useSession();
  const client = useQueryClient();
  const invitations = useQuery({ queryKey: ['invitations'], queryFn: () => get<{ items: Invitation[] }>('/api/v1/invitations').then((page) => page.items) });
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [inviteError, setInviteError] = useState<unknown>(null);
  const [link, setLink] = useState<string | null>(null);
  const [rowErrors, setRowErrors] = useState<Record<string, unknown>>({});

  const invite = async (event: FormEvent) => {
    event.preventDefault();
    setInviteError(null);
    try {
      const created = await post<{ acceptUrl: string; token: string }>('/api/v1/invitations', { email, role });
      setLink(`${location.origin}/accept-invitation?token=${encodeURIComponent(created.token)}`);
      setEmail('');
      void client.invalidateQueries({ queryKey: ['invitations'] });
    } catch (error) {
      setInviteError(error);
    }
  };
  const changeStaff = async (id: string, body: Record<string, unknown>) => {
    setRowErrors((current) => ({ ...current, [id]: null }));
    try {
      await patch(`/api/v1/staff/${id}`, body);
      void client.invalidateQueries({ queryKey: ['staff'] });
    } catch (error) {
      setRowErrors((current) => ({ ...current, [id]: error }));
    }
  };
  const withdraw = async (id: string) => {
    setRowErrors((current) => ({ ...current, [id]: null }));
    try {
      await del(`/api/v1/invitations/${id}`);
      void client.invalidateQueries({ queryKey: ['invitations'] });
    } catch (error) {
      setRowErrors((current) => ({ ...current, [id]: error }));
    }
  };
  const roles = [{ value: 'agent', label: 'Agent' }, { value: 'manager', label: 'Manager' }, { value: 'owner', label: 'Owner' }];

  return (
    <Stack>
      <Title order={2} size="h3">Staff & invitations</Title>
      <ErrorText error={staff.error} />
      <TableScroll label="Staff">
        <Table miw={640}>
          <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>Email</Table.Th><Table.Th>Role</Table.Th><Table.Th>Active</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {(staff.data ?? []).map((member) => (
              <Table.Tr key={member.id}>
                <Table.Td>{member.name}</Table.Td>
                <Table.Td>{member.email}</Table.Td>
                <Table.Td>
                  <Select size="xs" aria-label={`Role of ${member.name}`} data={roles} value={member.role} onChange={(value) => value && void changeStaff(member.id, { role: value })} allowDeselect={false} disabled={member.id === session?.workspace?.staffId} w={120} />
                  <ErrorText error={rowErrors[member.id]} inline />
                </Table.Td>
                <Table.Td>
                  {member.id === session?.workspace?.staffId ? <Text size="sm" c="dimmed">You</Text> : (
                    <Button size="compact-xs" variant="subtle" color={member.isActive ? 'red' : 'green'} onClick={() => void changeStaff(member.id, { isActive: !member.isActive })}>
                      {member.isActive ? 'Deactivate' : 'Reactivate'}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>

      <Title order={3} size="h4" mt="md">Invite someone</Title>
      <form onSubmit={invite} noValidate>
        <Group align="flex-start" gap="xs">
          <TextInput label="Email" type="email" value={email} onChange={(event) => setEmail(event.currentTarget.value)} error={fieldError(inviteError, 'email')} w={260} />
          <Select label="Role" data={roles} value={role} onChange={(value) => value && setRole(value as Role)} allowDeselect={false} w={140} />
          <Button type="submit" mt={25}>Invite</Button>
        </Group>
        <ErrorText error={fieldError(inviteError, 'email') ? null : inviteError} inline />
      </form>
      {link ? (
        <Stack gap={4}>
          <Text size="sm">Send this link to the person you invited (it works once, for 7 days):</Text>
          <Group gap="xs"><Code style={{ overflowWrap: 'anywhere' }} data-testid="invitation-link">{link}</Code><CopyButton value={link}>{({ copied, copy }) => <Button size="compact-xs" onClick={copy}>{copied ? 'Copied' : 'Copy'}</Button>}</CopyButton></Group>
        </Stack>
      ) : null}
      <TableScroll label="Invitations">
        <Table miw={640} mt="sm">
          <Table.Thead><Table.Tr><Table.Th>Invited</Table.Th><Table.Th>Role</Table.Th><Table.Th>State</Table.Th><Table.Th /></Table.Tr></Table.Thead>
          <Table.Tbody>
            {(invitations.data ?? []).map((invitation) => (
              <Table.Tr key={invitation.id}>
                <Table.Td>{invitation.email}</Table.Td>
                <Table.Td>{invitation.role}</Table.Td>
                <Table.Td>{invitation.acceptedAt ? <Badge color="teal.9" variant="filled">accepted</Badge> : <Text size="sm">open until {dateTime(invitation.expiresAt)}</Text>}</Table.Td>
                <Table.Td>
                  {!invitation.acceptedAt ? <Button size="compact-xs" variant="subtle" color="red" onClick={() => void withdraw(invitation.id)}>Withdraw</Button> : null}
                  <ErrorText error={rowErrors[invitation.id]} inline />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
      {invitations.data?.length === 0 ? <Text c="dimmed" size="sm">No invitations yet. Invite someone above and send them the link it gives: they choose their own password.</Text> : null}
    </Stack>
  );
}
