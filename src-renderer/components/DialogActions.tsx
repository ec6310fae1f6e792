// A dialog's footer: Cancel, then the dialog's own action on the right.
import { Button, Group, type MantineSpacing } from '@mantine/core';
import type { ReactNode } from 'react';

export function DialogActions({ onCancel, children, mt }: { onCancel: () => void; children: ReactNode; mt?: MantineSpacing }) {
  return (
    <Group justify="flex-end" mt={mt}>
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      {children}
    </Group>
  );
}
