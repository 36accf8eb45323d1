import { Kbd, Modal, Table } from '@mantine/core';

export const shortcuts: Array<[string, string]> = [
  ['Ctrl/⌘ K or /', 'Search tickets, customers and messages'],
  ['j / k', 'Next / previous ticket'],
  ['Enter', 'Open the selected ticket (inbox)'],
  ['x', 'Select the ticket for bulk actions (inbox)'],
  ['r', 'Reply'],
  ['n', 'Internal note'],
  ['a', 'Assign to me'],
  ['s', 'Solve'],
  ['Ctrl/⌘ Enter', 'Send (in the composer)'],
  ['?', 'This list'],
];

export function ShortcutsHelp({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Keyboard shortcuts" size="md">
      <Table>
        <Table.Tbody>
          {shortcuts.map(([keys, action]) => (
            <Table.Tr key={keys}>
              <Table.Td>
                <Kbd>{keys}</Kbd>
              </Table.Td>
              <Table.Td>{action}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
