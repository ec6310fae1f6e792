// A table's header row from its column names (an empty name is a column without a visible heading).
import { Table, VisuallyHidden } from '@mantine/core';

export function TableHead({ columns }: { columns: string[] }) {
  return (
    <Table.Thead>
      <Table.Tr>
        {columns.map((c, i) => (
          <Table.Th key={`${c}-${i}`}>{c || <VisuallyHidden>Actions</VisuallyHidden>}</Table.Th>
        ))}
      </Table.Tr>
    </Table.Thead>
  );
}
