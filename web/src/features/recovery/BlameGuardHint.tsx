import { Alert, Button, Group, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { checkBlame, type BlameCheck } from './recovery.api';

/**
 * Under the reply composer: flags blaming or deflecting phrases as the agent types (debounced) and
 * offers the kinder wording. Sending stays allowed; the server records an override.
 */
export function BlameGuardHint({ text, onReplace }: { text: string; onReplace(next: string): void }) {
  const [check, setCheck] = useState<BlameCheck | null>(null);
  useEffect(() => {
    if (!text.trim()) {
      setCheck(null);
      return;
    }
    let isCurrent = true;
    const timer = setTimeout(() => {
      checkBlame(text)
        .then((result) => isCurrent && setCheck(result))
        .catch(() => isCurrent && setCheck(null));
    }, 300);
    return () => {
      isCurrent = false;
      clearTimeout(timer);
    };
  }, [text]);
  if (!check || check.flags.length === 0) return null;
  return (
    <Alert color="orange" variant="light" p="xs" data-testid="blame-guard" title="This may sound like blame">
      {check.flags.map((flag) => (
        <Group key={`${flag.start}-${flag.phrase}`} gap="xs" wrap="nowrap">
          <Text size="xs">“{flag.matched}”{flag.suggestion ? ` → “${flag.suggestion}”` : ''}</Text>
          {flag.suggestion ? (
            <Button size="compact-xs" variant="subtle" onClick={() => onReplace(text.slice(0, flag.start) + flag.suggestion + text.slice(flag.end))}>Use suggestion</Button>
          ) : null}
        </Group>
      ))}
    </Alert>
  );
}
