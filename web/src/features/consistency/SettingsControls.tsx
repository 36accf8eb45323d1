import type { ReactNode } from 'react';
import { ActionIcon, Button, Group } from '@mantine/core';

/** The ↑ ↓ buttons that move one named row of an ordered settings list. */
export function MoveButtons({ name, index, count, onMove }: { name: string; index: number; count: number; onMove: (from: number, to: number) => void }) {
  return (
    <Group gap={2} wrap="nowrap">
      <ActionIcon variant="subtle" color="gray" aria-label={`Move ${name} up`} disabled={index === 0} onClick={() => onMove(index, index - 1)}>↑</ActionIcon>
      <ActionIcon variant="subtle" color="gray" aria-label={`Move ${name} down`} disabled={index === count - 1} onClick={() => onMove(index, index + 1)}>↓</ActionIcon>
    </Group>
  );
}

/** A settings form's footer: "Create thing", or "Save thing" and Cancel while editing; children sit between the two. */
export function FormButtons({ noun, editing, saving, onCancel, children }: { noun: string; editing: boolean; saving: boolean; onCancel: () => void; children?: ReactNode }) {
  return (
    <Group gap="xs">
      <Button type="submit" loading={saving}>{editing ? `Save ${noun}` : `Create ${noun}`}</Button>
      {children}
      {editing ? <Button variant="subtle" onClick={onCancel}>Cancel</Button> : null}
    </Group>
  );
}
