import { useEffect, useState } from 'react';
import { Badge, Group, Modal, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { get, query } from '../../app/api';
import { ErrorText } from '../../ui/ErrorText';

interface Hit {
  kind: 'ticket' | 'message' | 'customer';
  refId: string;
  ticketId: string | null;
  snippet: string;
}

/** The snippet marks matches with [brackets] or <b>; shown as plain text, never as HTML. */
function plain(snippet: string): string {
  return snippet.replace(/<\/?[^>]+>/g, '');
}

export function CommandPalette({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [text, setText] = useState('');
  const [debounced] = useDebouncedValue(text.trim(), 150);
  const [active, setActive] = useState(0);
  const navigate = useNavigate();
  const results = useQuery({ queryKey: ['search', debounced], queryFn: () => get<{ items: Hit[] }>(`/api/v1/search${query({ q: debounced, limit: 20 })}`).then((page) => page.items), enabled: opened && debounced.length > 0 });
  const hits = debounced ? results.data ?? [] : [];
  useEffect(() => setActive(0), [debounced]);
  useEffect(() => {
    if (!opened) setText('');
  }, [opened]);

  const open = (hit: Hit) => {
    onClose();
    if (hit.kind === 'customer') navigate(`/customers/${hit.refId}`);
    else navigate(`/tickets/${hit.ticketId ?? hit.refId}`);
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Search" size="lg" yOffset="10vh">
      <TextInput
        data-autofocus
        placeholder="Tickets, customers, messages…"
        aria-label="Search"
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') { event.preventDefault(); setActive((index) => Math.min(hits.length - 1, index + 1)); }
          if (event.key === 'ArrowUp') { event.preventDefault(); setActive((index) => Math.max(0, index - 1)); }
          if (event.key === 'Enter' && hits[active]) open(hits[active]!);
        }}
        role="combobox"
        aria-expanded={hits.length > 0}
        aria-controls="search-results"
        aria-activedescendant={hits[active] ? `search-hit-${active}` : undefined}
      />
      <ErrorText error={results.error} inline />
      <Stack gap={2} mt="sm" id="search-results" role="listbox" aria-label="Search results">
        {hits.map((hit, index) => (
          <UnstyledButton
            key={`${hit.kind}-${hit.refId}`}
            id={`search-hit-${index}`}
            role="option"
            aria-selected={index === active}
            onClick={() => open(hit)}
            onMouseEnter={() => setActive(index)}
            p="xs"
            data-testid="search-hit"
            style={{ borderRadius: 6, background: index === active ? 'var(--mantine-color-default-hover)' : undefined }}
          >
            <Group gap="xs" wrap="nowrap">
              <Badge size="xs" variant="light" color={hit.kind === 'customer' ? 'teal' : hit.kind === 'ticket' ? 'indigo' : 'gray'}>{hit.kind}</Badge>
              <Text size="sm" lineClamp={2}>{plain(hit.snippet)}</Text>
            </Group>
          </UnstyledButton>
        ))}
        {debounced && results.isSuccess && hits.length === 0 ? <Text size="sm" c="dimmed">Nothing matches “{debounced}”.</Text> : null}
      </Stack>
    </Modal>
  );
}
