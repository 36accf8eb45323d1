import { useEffect, useRef, useState } from 'react';
import { Box, Button, CloseButton, FileButton, Group, Menu, Paper, SegmentedControl, Select, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post } from '../../app/api';
import { realtime } from '../../app/realtime';
import { useStatuses } from '../../app/session';
import type { Macro, Ticket } from '../../app/types';
import { ErrorText } from '../../ui/ErrorText';
import { TicketEmpowermentPanel } from '../empowerment/TicketEmpowermentPanel';
import { BlameGuardHint } from '../recovery/BlameGuardHint';
import { useUploads, type Upload } from './useUploads';

export type ComposerMode = 'reply' | 'note';

/**
 * Reply or internal note, with macros, attachments (replies only: they go out with the email),
 * "send and set status", the blame guard's kinder wording and, on demand, the remedy and promise
 * controls (a remedy can go out with this reply in one action). The draft survives a reload
 * (sessionStorage) and tells colleagues when this agent is typing.
 */
export function Composer({ ticket, mode, setMode, textareaRef }: { ticket: Ticket; mode: ComposerMode; setMode: (mode: ComposerMode) => void; textareaRef: React.RefObject<HTMLTextAreaElement | null> }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [macroError, setMacroError] = useState<unknown>(null);
  const [macroStatus, setMacroStatus] = useState<string | null>(null);
  const [isRemedyOpen, setRemedyOpen] = useState(false);
  const files = useUploads();
  const statuses = useStatuses();
  const client = useQueryClient();
  const macros = useQuery({ queryKey: ['macros'], queryFn: () => get<{ items: Macro[] }>('/api/v1/macros').then((page) => page.items) });
  const lastTyping = useRef(0);
  const draftKey = `raving-draft-${ticket.id}-${mode}`;
  useEffect(() => setText(sessionStorage.getItem(draftKey) ?? ''), [draftKey]);

  const onType = (value: string) => {
    setText(value);
    sessionStorage.setItem(draftKey, value);
    const now = Date.now();
    if (value && now - lastTyping.current > 2000) {
      lastTyping.current = now;
      realtime.typing(ticket.id, true);
    }
  };
  /** After a send, or a remedy granted together with this reply. */
  const clearAfterSending = () => {
    setText('');
    setMacroStatus(null);
    sessionStorage.removeItem(draftKey);
    lastTyping.current = 0;
    realtime.typing(ticket.id, false);
    void client.invalidateQueries({ queryKey: ['ticket', ticket.id] });
    void client.invalidateQueries({ queryKey: ['tickets'] });
  };
  const send = useMutation({
    mutationFn: (status: string | undefined) => {
      const withStatus = status ? { status } : {};
      // A reply with files goes through the email module, which sends them as MIME attachments.
      if (mode === 'reply' && files.ready.length > 0) return post(`/api/v1/email/tickets/${ticket.id}/replies`, { text, ...withStatus, attachmentIds: files.ready });
      return post(`/api/v1/tickets/${ticket.id}/messages`, { kind: mode, text, ...withStatus });
    },
    onMutate: () => setError(null),
    onSuccess: () => {
      // Only here: a remedy sent with the reply text does not carry the files, so they stay for the next send.
      files.clear();
      clearAfterSending();
    },
    onError: (caught) => setError(caught),
  });
  const applyMacro = async (id: string | null) => {
    if (!id) return;
    setMacroError(null);
    try {
      const rendered = await get<{ text: string; kind: ComposerMode; setStatus: string | null }>(`/api/v1/macros/${id}/render?ticketId=${encodeURIComponent(ticket.id)}`);
      setMode(rendered.kind);
      onType(text ? `${text}\n\n${rendered.text}` : rendered.text);
      setMacroStatus(rendered.setStatus);
      textareaRef.current?.focus();
    } catch (caught) {
      setMacroError(caught);
    }
  };
  const canSend = text.trim().length > 0 && !send.isPending && !(mode === 'reply' && files.isUploading);
  const statusOptions = (statuses.data ?? []).filter((status) => status.key !== ticket.status);
  return (
    <Paper withBorder p="sm" data-testid="composer">
      <Group justify="space-between" mb="xs" gap="xs">
        <SegmentedControl size="xs" value={mode} onChange={(value) => setMode(value as ComposerMode)} data={[{ value: 'reply', label: 'Reply' }, { value: 'note', label: 'Internal note' }]} aria-label="Message kind" />
        <Select size="xs" placeholder="Insert macro…" aria-label="Insert macro" data={(macros.data ?? []).map((macro) => ({ value: macro.id, label: macro.name }))} value={null} onChange={(value) => void applyMacro(value)} searchable w={200} data-testid="macro-select" nothingFoundMessage="No macros yet" />
      </Group>
      <ErrorText error={macroError} inline />
      <Textarea
        ref={textareaRef}
        aria-label={mode === 'reply' ? 'Reply to the customer' : 'Internal note'}
        placeholder={mode === 'reply' ? `Reply to ${ticket.customer?.name ?? 'the customer'}…` : 'Note for your team (the customer does not see it)…'}
        autosize
        minRows={3}
        maxRows={14}
        value={text}
        onChange={(event) => onType(event.currentTarget.value)}
        onBlur={() => text && realtime.typing(ticket.id, false)}
        onKeyDown={(event) => {
          if ((event.ctrlKey || event.metaKey) && event.key === 'Enter' && canSend) send.mutate(macroStatus ?? undefined);
          if (event.key === 'Escape') event.currentTarget.blur();
        }}
        styles={mode === 'note' ? { input: { background: 'light-dark(#fff8db, rgba(250,176,5,0.08))' } } : undefined}
      />
      {mode === 'reply' ? <UploadList uploads={files.uploads} onRemove={files.remove} /> : null}
      <ErrorText error={error} inline />
      {mode === 'reply' ? <BlameGuardHint text={text} onReplace={onType} /> : null}
      <Group justify="space-between" mt="xs" gap="xs">
        {mode === 'reply' ? (
          <Group gap={4}>
            <FileButton onChange={files.add} multiple inputProps={{ 'aria-label': 'Attach files', 'data-testid': 'attach-input' } as Record<string, string>}>
              {(props) => <Button {...props} size="xs" variant="subtle">Attach files</Button>}
            </FileButton>
            <Button size="xs" variant="subtle" onClick={() => setRemedyOpen((open) => !open)} aria-expanded={isRemedyOpen} aria-controls="composer-remedies" data-testid="remedy-toggle">
              {isRemedyOpen ? 'Hide remedy and promise' : 'Remedy or promise…'}
            </Button>
          </Group>
        ) : <span />}
        <Button.Group>
          <Button size="sm" onClick={() => send.mutate(macroStatus ?? undefined)} disabled={!canSend} loading={send.isPending} data-testid="send">
            {mode === 'reply' ? 'Send' : 'Add note'}{macroStatus ? ` and set ${macroStatus.replace(/_/g, ' ')}` : ''}
          </Button>
          <Menu position="top-end" withinPortal>
            <Menu.Target>
              <Button size="sm" variant="filled" disabled={!canSend} aria-label="Send and set status" data-testid="send-menu" px={8}>▾</Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>Send and set status</Menu.Label>
              {statusOptions.map((status) => (
                <Menu.Item key={status.key} onClick={() => send.mutate(status.key)} data-testid={`send-as-${status.key}`}>
                  Send and set {status.label}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        </Button.Group>
      </Group>
      {mode === 'reply' && isRemedyOpen ? (
        <Box mt="sm" id="composer-remedies">
          <TicketEmpowermentPanel ticketId={ticket.id} replyText={text} onReplySent={clearAfterSending} />
        </Box>
      ) : null}
    </Paper>
  );
}

function UploadList({ uploads, onRemove }: { uploads: Upload[]; onRemove: (key: string) => void }) {
  if (uploads.length === 0) return null;
  return (
    <Box component="ul" p={0} mt="xs" mb={0} style={{ listStyle: 'none' }} aria-label="Files to send" data-testid="uploads">
      {uploads.map((upload) => (
        <li key={upload.key}>
          <Group gap={6} wrap="nowrap">
            <Text size="sm" style={{ overflowWrap: 'anywhere' }}>{upload.filename}</Text>
            <Text size="xs" c="dimmed">{upload.error ? '' : upload.id ? `${Math.max(1, Math.round(upload.size / 1024))} KB` : 'uploading…'}</Text>
            <CloseButton size="sm" aria-label={`Remove ${upload.filename}`} onClick={() => onRemove(upload.key)} />
          </Group>
          <ErrorText error={upload.error} inline />
        </li>
      ))}
    </Box>
  );
}
